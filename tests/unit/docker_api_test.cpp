#include <doctest/doctest.h>

#include "docker/docker_api.h"
#include "fake_docker_api.h"

namespace run::docker {

TEST_CASE("docker api: url_encode escapes everything but unreserved characters") {
  CHECK(url_encode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(url_encode("{\"label\":[\"run.project=x\"]}") ==
        "%7B%22label%22%3A%5B%22run.project%3Dx%22%5D%7D");
  CHECK(url_encode("a b/c") == "a%20b%2Fc");
}

TEST_CASE("docker api: filters_query is the JSON Docker expects, encoded") {
  CHECK(filters_query({{"label", {"a=1", "b=2"}}, {"name", {"p-dev"}}}) ==
        url_encode(R"({"label":["a=1","b=2"],"name":["p-dev"]})"));
}

TEST_CASE("docker api: an error inside a 200 progress stream is found") {
  std::string stream =
      "{\"status\":\"Pulling from library/busybox\"}\n"
      "{\"status\":\"Downloading\",\"progress\":\"[=>  ]\"}\n"
      "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n";
  CHECK(stream_error(stream) == "manifest unknown");
  CHECK(stream_error("{\"errorDetail\":{\"message\":\"denied\"}}") == "denied");
  CHECK(stream_error("{\"status\":\"Downloaded newer image\"}\n").empty());
  CHECK(stream_error("not json\n{\"status\":\"ok\"}").empty());
}

TEST_CASE("docker api: a refused request carries Docker's message and names the daemon") {
  test::FakeDockerApi api;
  Result<DockerResponse> response =
      DockerResponse{409, R"({"message": "Conflict. The container name is already in use"})"};
  Result<std::string> body = expect_success(response, "POST", "/containers/create?name=x", api);
  REQUIRE_FALSE(body.ok());
  CHECK(body.errors().front().message ==
        "Docker at unix:///fake.sock refused POST /containers/create (HTTP 409): Conflict. The "
        "container name is already in use");
}

TEST_CASE("docker api: a 2xx answer gives its body; a non-JSON error body is quoted as it came") {
  test::FakeDockerApi api;
  CHECK(*expect_success(Result<DockerResponse>(DockerResponse{200, "[]"}), "GET",
                        "/containers/json", api) == "[]");
  Result<std::string> body =
      expect_success(Result<DockerResponse>(DockerResponse{500, "oops\n"}), "GET", "/x", api);
  REQUIRE_FALSE(body.ok());
  CHECK(body.errors().front().message ==
        "Docker at unix:///fake.sock refused GET /x (HTTP 500): oops");
}

}  // namespace run::docker
