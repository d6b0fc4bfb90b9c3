#include "docker/curl_docker_api.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdlib>

#include "model/units.h"

namespace run::docker {

namespace {

std::string getenv_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

size_t append_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

/// Keeps the API-Version header of the answer to /_ping.
size_t read_header(char* data, size_t size, size_t count, void* target) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "api-version:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName && target) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
      *static_cast<std::string*>(target) = std::string(value);
    }
  }
  return size * count;
}

/// "1.41" < "1.43", compared as numbers.
bool version_less(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& v) {
    int major = 0, minor = 0;
    std::size_t dot = v.find('.');
    std::from_chars(v.data(), v.data() + (dot == std::string::npos ? v.size() : dot), major);
    if (dot != std::string::npos) std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
    return std::pair{major, minor};
  };
  return parts(a) < parts(b);
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  return std::to_string(timeout.count() / 1000) + (timeout.count() % 1000 ? "." + std::to_string(timeout.count() % 1000 / 100) : "") + " s";
}

}  // namespace

Result<DockerEndpoint> DockerEndpoint::from_environment() {
  DockerEndpoint endpoint;
  endpoint.host = getenv_or("DOCKER_HOST", endpoint.host);
  endpoint.tls_verify = !getenv_or("DOCKER_TLS_VERIFY", "").empty();
  endpoint.cert_path = getenv_or("DOCKER_CERT_PATH", getenv_or("HOME", "") + "/.docker");
  std::string timeout = getenv_or("RUN_DOCKER_TIMEOUT", "");
  if (!timeout.empty()) {
    std::optional<std::int64_t> milliseconds = model::parse_duration_ms(timeout);
    if (!milliseconds || *milliseconds == 0)
      return make_error(SourceLocation{}, "", "RUN_DOCKER_TIMEOUT='" + timeout + "' is not a duration", "write e.g. 30s or 500ms");
    endpoint.request_timeout = std::chrono::milliseconds(*milliseconds);
  }
  if (!endpoint.host.starts_with("unix://") && !endpoint.host.starts_with("tcp://"))
    return make_error(SourceLocation{}, "", "DOCKER_HOST='" + endpoint.host + "' is not supported",
                      "use unix:///path/to/docker.sock or tcp://host:port");
  return endpoint;
}

CurlDockerApi::CurlDockerApi(DockerEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  static const bool initialised = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)initialised;
  if (endpoint_.host.starts_with("unix://")) {
    base_url_ = "http://docker";
  } else {
    base_url_ = (endpoint_.tls_verify ? "https://" : "http://") + endpoint_.host.substr(6);
  }
}

CurlDockerApi::~CurlDockerApi() {
  for (void* handle : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlDockerApi::acquire_handle() {
  std::lock_guard lock(handles_mutex_);
  if (idle_handles_.empty()) return curl_easy_init();
  void* handle = idle_handles_.back();
  idle_handles_.pop_back();
  return handle;
}

void CurlDockerApi::release_handle(void* handle) {
  if (handle == nullptr) return;
  std::lock_guard lock(handles_mutex_);
  idle_handles_.push_back(handle);
}

/// The address, socket and TLS files of the daemon (libcurl copies the strings).
void CurlDockerApi::configure_connection(void* handle, const std::string& url) const {
  CURL* curl = static_cast<CURL*>(handle);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (endpoint_.host.starts_with("unix://")) curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, endpoint_.host.substr(7).c_str());
  if (endpoint_.tls_verify) {
    std::string ca = endpoint_.cert_path + "/ca.pem", cert = endpoint_.cert_path + "/cert.pem", key = endpoint_.cert_path + "/key.pem";
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLCERT, cert.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, key.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(endpoint_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
}

Result<DockerResponse> CurlDockerApi::send(std::string_view method, const std::string& url_path, const std::string& body,
                                           std::chrono::milliseconds timeout, std::string* version_header) {
  CURL* curl = static_cast<CURL*>(acquire_handle());
  if (curl == nullptr) return make_error(SourceLocation{}, "", "cannot start libcurl");
  struct Release {
    CurlDockerApi* api;
    CURL* curl;
    ~Release() { api->release_handle(curl); }
  } release{this, curl};
  curl_easy_reset(curl);
  DockerResponse response;
  configure_connection(curl, base_url_ + url_path);
  std::string method_text(method);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  struct curl_slist* headers = nullptr;
  if (method == "POST" || method == "PUT") {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, version_header);
  auto started = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return make_error(SourceLocation{}, "",
                      "Docker at " + endpoint_.host + " did not answer " + method_text + " " + url_path.substr(0, url_path.find('?')) +
                          " within " + seconds_text(timeout),
                      "check that dockerd is running and responsive (docker info); RUN_DOCKER_TIMEOUT sets the limit");
  }
  if (code != CURLE_OK) {
    return make_error(SourceLocation{}, "", "cannot reach Docker at " + endpoint_.host + ": " + curl_easy_strerror(code),
                      "is dockerd running? (docker info); DOCKER_HOST chooses another daemon");
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  spdlog::debug("docker: {} {} -> {} ({} ms)", method_text, url_path, response.status, elapsed.count());
  return response;
}

Status CurlDockerApi::negotiate() {
  if (!api_version_.empty()) return ok_status();
  if (!negotiation_errors_.empty()) return negotiation_errors_;
  Status status = ping_for_version();
  if (!status) negotiation_errors_ = status.errors();
  return status;
}

Status CurlDockerApi::ping_for_version() {
  std::string daemon_version;
  Result<DockerResponse> ping = send("GET", "/_ping", "", endpoint_.request_timeout, &daemon_version);
  if (!ping) return ping.errors();
  if (ping->status != 200)
    return make_error(SourceLocation{}, "", "Docker at " + endpoint_.host + " answered /_ping with HTTP " + std::to_string(ping->status));
  if (daemon_version.empty())
    return make_error(SourceLocation{}, "", "the server at " + endpoint_.host + " does not look like a Docker daemon (no API-Version header)");
  api_version_ = version_less(daemon_version, kClientApiVersion) ? daemon_version : kClientApiVersion;
  spdlog::debug("docker: API version {} (daemon {}, client {})", api_version_, daemon_version, kClientApiVersion);
  return ok_status();
}

Result<std::string> CurlDockerApi::api_version() {
  std::lock_guard lock(negotiate_mutex_);
  if (Status status = negotiate(); !status) return status.errors();
  return api_version_;
}

Result<DockerResponse> CurlDockerApi::request(std::string_view method, const std::string& path, const std::string& body,
                                              std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(negotiate_mutex_);
    if (Status status = negotiate(); !status) return status.errors();
  }
  return send(method, "/v" + api_version_ + path, body, timeout.count() == 0 ? endpoint_.request_timeout : timeout, nullptr);
}

namespace {

/// What a streaming request carries between libcurl's callbacks.
struct LineStream {
  const std::atomic<bool>& stop;
  const std::function<void(std::string_view)>& on_line;
  std::string pending;  ///< the bytes after the last newline
};

size_t split_lines(char* data, size_t size, size_t count, void* target) {
  auto* stream = static_cast<LineStream*>(target);
  stream->pending.append(data, size * count);
  std::size_t start = 0;
  for (std::size_t end; (end = stream->pending.find('\n', start)) != std::string::npos; start = end + 1)
    if (end > start) stream->on_line(std::string_view(stream->pending).substr(start, end - start));
  stream->pending.erase(0, start);
  return size * count;
}

/// libcurl calls this about once a second even on an idle stream: the way to stop it.
int stop_when_asked(void* target, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<LineStream*>(target)->stop.load() ? 1 : 0;
}

}  // namespace

Status CurlDockerApi::follow_lines(const std::string& path, const std::atomic<bool>& stop,
                                   const std::function<void(std::string_view line)>& on_line) {
  Result<std::string> version = api_version();
  if (!version) return version.errors();
  // A handle of its own: the stream holds its connection for as long as it runs.
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return make_error(SourceLocation{}, "", "cannot start libcurl");
  LineStream stream{stop, on_line, {}};
  configure_connection(curl.get(), base_url_ + "/v" + *version + path);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, split_lines);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &stream);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, stop_when_asked);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &stream);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  CURLcode code = curl_easy_perform(curl.get());
  if (stop.load()) return ok_status();
  std::string what = "the stream GET " + path.substr(0, path.find('?')) + " from Docker at " + endpoint_.host;
  if (code == CURLE_OK) return make_error(SourceLocation{}, "", what + " ended");
  return make_error(SourceLocation{}, "", what + " broke: " + curl_easy_strerror(code));
}

}  // namespace run::docker
