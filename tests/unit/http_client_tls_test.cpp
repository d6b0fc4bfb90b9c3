#include <doctest/doctest.h>
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "net/http_client.h"

// The client over TLS (Docker's tcp:// with DOCKER_TLS_VERIFY, https webhooks) against
// cpp-httplib's TLS server with a certificate made for 127.0.0.1: the server is verified by
// the CA given, by IP address, and refused under any other trust.

namespace run::net {

namespace {

using namespace std::chrono_literals;

/// A self-signed certificate for IP 127.0.0.1 (its own CA) in a directory of its own.
struct Certificate {
  std::filesystem::path directory;
  std::string cert, key;
  bool made = false;

  Certificate() {
    char name[] = "/tmp/run-tls-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    directory = name;
    cert = (directory / "cert.pem").string();
    key = (directory / "key.pem").string();
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "
        "subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " >/dev/null 2>&1";
    made = std::system(command.c_str()) == 0;
  }
  ~Certificate() { std::filesystem::remove_all(directory); }
};

}  // namespace

TEST_CASE(
    "TLS: the server is verified by the CA given and by its IP address, and refused under other "
    "trust") {
  Certificate certificate;
  if (!certificate.made) {
    MESSAGE("no openssl command here: TLS not tested");
    return;
  }
  httplib::SSLServer server(certificate.cert.c_str(), certificate.key.c_str());
  REQUIRE(server.is_valid());
  server.Get("/_ping", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("OK", "text/plain");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(1ms);

  HttpClient trusted(
      Address::tcp("127.0.0.1", std::to_string(port), TlsSettings{certificate.cert, "", ""}), 2s);
  std::variant<HttpAnswer, NetError> answer = trusted.exchange({"GET", "/_ping", {}, {}}, 3s);
  REQUIRE(std::holds_alternative<HttpAnswer>(answer));
  CHECK(std::get<HttpAnswer>(answer).head.status == 200);
  CHECK(std::get<HttpAnswer>(answer).body == "OK");

  HttpClient system_trust(Address::tcp("127.0.0.1", std::to_string(port), TlsSettings{}), 2s);
  std::variant<HttpAnswer, NetError> refused = system_trust.exchange({"GET", "/_ping", {}, {}}, 3s);
  REQUIRE(std::holds_alternative<NetError>(refused));
  CHECK(std::get<NetError>(refused).kind == NetError::Kind::kConnect);
  CHECK(std::get<NetError>(refused).detail.find("certificate") != std::string::npos);

  server.stop();
  serving.join();
}

}  // namespace run::net
