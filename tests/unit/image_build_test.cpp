#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <vector>

#include "docker/image_build.h"
#include "fake_docker_api.h"

// The image build against a fake daemon: the query it sends, the context it streams, and what
// it makes of the answer (steps, output, the image id, a failure inside the 200 stream).

namespace run::docker {

namespace {

class RecordingListener final : public BuildListener {
 public:
  /// `stop_at_step`: sets `stop` when that step begins, as a Ctrl-C would.
  explicit RecordingListener(std::atomic<bool>* stop = nullptr, int stop_at_step = 0)
      : stop_(stop), stop_at_step_(stop_at_step) {}

  void step(const BuildStep& step) override {
    steps.push_back(std::to_string(step.number) + "/" + std::to_string(step.total) + " " +
                    step.instruction);
    if (stop_ != nullptr && step.number == stop_at_step_) *stop_ = true;
  }
  void output(std::string_view line) override { lines.emplace_back(line); }

  std::vector<std::string> steps;
  std::vector<std::string> lines;

 private:
  std::atomic<bool>* stop_;
  int stop_at_step_;
};

BodyWriter writes(std::string context) {
  return [context = std::move(context)](const std::function<bool(std::string_view)>& write) {
    return write(context);
  };
}

ImageBuildRequest app_request() {
  ImageBuildRequest request;
  request.tag = "app:1";
  return request;
}

/// A {"stream": ...} line; `text` is JSON-escaped as Docker writes it (\n for a newline).
std::string stream_line(const std::string& text) { return R"({"stream":")" + text + R"("})"; }

Result<std::string> build(test::FakeDockerApi& api, RecordingListener& listener,
                          const ImageBuildRequest& request = app_request()) {
  std::atomic<bool> stop{false};
  return build_image(api, request, writes("tar"), listener, stop);
}

}  // namespace

TEST_CASE("image build: the query names tag, Dockerfile, arguments, target, labels, url-encoded") {
  ImageBuildRequest request{.tag = "tsp/app:3f2a1bc04d1e",
                            .dockerfile = "docker/App file",
                            .args = {{"A", "1 2"}, {"B", "x&y"}},
                            .target = "runtime",
                            .labels = {{"run.project", "tsp"}},
                            .no_cache = true};
  CHECK(build_path(request) ==
        "/build?t=tsp%2Fapp%3A3f2a1bc04d1e&dockerfile=docker%2FApp%20file"
        "&buildargs=%7B%22A%22%3A%221%202%22%2C%22B%22%3A%22x%26y%22%7D"
        "&target=runtime&labels=%7B%22run.project%22%3A%22tsp%22%7D"
        "&nocache=1&rm=1&forcerm=1");
}

TEST_CASE("image build: a plain request sends the tag and the clean-up flags, and never pull") {
  CHECK(build_path(app_request()) == "/build?t=app%3A1&rm=1&forcerm=1");
}

TEST_CASE("image build: the context is streamed to the daemon as a tar") {
  test::FakeDockerApi api;
  api.answer_stream("/build", 200, {R"({"aux":{"ID":"sha256:abc"}})"});
  std::string context(300 * 1024, 'x');
  std::atomic<bool> stop{false};
  RecordingListener listener;
  BodyWriter in_pieces = [&](const std::function<bool(std::string_view)>& write) {
    for (std::size_t at = 0; at < context.size(); at += 512)
      if (!write(std::string_view(context).substr(at, 512))) return false;
    return true;
  };
  REQUIRE(build_image(api, app_request(), in_pieces, listener, stop).ok());
  REQUIRE(api.streamed().size() == 1);
  CHECK(api.streamed()[0].path == "/build?t=app%3A1&rm=1&forcerm=1");
  CHECK(api.streamed()[0].content_type == "application/x-tar");
  CHECK(api.streamed()[0].body == context);
}

TEST_CASE("image build: steps are reported, output comes in lines, the id comes from aux") {
  test::FakeDockerApi api;
  api.answer_stream(
      "/build", 200,
      {stream_line("Step 1/2 : FROM alpine:3.19\\n"),
       R"({"status":"Pulling from library/alpine","id":"3.19"})",
       R"({"status":"Downloading","progressDetail":{"current":1},"progress":"[=> ]","id":"4abc"})",
       stream_line(" ---> a24bb4013296\\n"), stream_line("Step 2/2 : RUN make\\n"),
       stream_line(" ---> Running in 5f0e\\n"), stream_line("cc -o app app.c\\nmake"),
       stream_line(": done\\r\\n"), R"({"aux":{"ID":"sha256:9d3e"}})",
       stream_line("Successfully built 9d3e1f2a\\n"), stream_line("Successfully tagged app:1\\n")});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE(id.ok());
  CHECK(*id == "sha256:9d3e");
  CHECK(listener.steps == std::vector<std::string>{"1/2 FROM alpine:3.19", "2/2 RUN make"});
  CHECK(listener.lines ==
        std::vector<std::string>{"3.19: Pulling from library/alpine", " ---> a24bb4013296",
                                 " ---> Running in 5f0e", "cc -o app app.c", "make: done",
                                 "Successfully built 9d3e1f2a", "Successfully tagged app:1"});
}

TEST_CASE("image build: without aux the id is the one 'Successfully built' names") {
  test::FakeDockerApi api;
  api.answer_stream(
      "/build", 200,
      {stream_line("Step 1/1 : FROM alpine\\n"), stream_line("Successfully built 9d3e1f2a\\n")});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE(id.ok());
  CHECK(*id == "9d3e1f2a");
}

TEST_CASE("image build: a failure inside the stream names the step and carries its last output") {
  test::FakeDockerApi api;
  api.answer_stream(
      "/build", 200,
      {stream_line("Step 2/7 : COPY . /src\\n"), stream_line("copied, not the news\\n"),
       stream_line("Step 3/7 : RUN ./configure\\n"), stream_line(" ---> Running in 1c2d\\n"),
       stream_line("checking for gcc... no\\n"),
       stream_line("configure: error: no acceptable C compiler found\\n"),
       R"({"errorDetail":{"code":1,"message":"The command '/bin/sh -c ./configure' returned a non-zero code: 1"},"error":"The command '/bin/sh -c ./configure' returned a non-zero code: 1"})"});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE_FALSE(id.ok());
  CHECK(id.errors().front().message ==
        "building app:1 on Docker at unix:///fake.sock failed at step 3/7 RUN ./configure: exit "
        "code 1\n"
        "    checking for gcc... no\n"
        "    configure: error: no acceptable C compiler found");
}

TEST_CASE("image build: a failure before any step is Docker's message") {
  test::FakeDockerApi api;
  api.answer_stream(
      "/build", 200,
      {R"({"errorDetail":{"message":"Cannot locate specified Dockerfile: Dockerfile"}})"});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE_FALSE(id.ok());
  CHECK(id.errors().front().message ==
        "building app:1 on Docker at unix:///fake.sock failed: Cannot locate specified "
        "Dockerfile: Dockerfile");
}

TEST_CASE("image build: the output a failure carries is bounded in lines and bytes") {
  std::vector<std::string> lines = {stream_line("Step 1/1 : RUN ./noisy\\n")};
  for (int i = 0; i < 50; ++i)
    lines.push_back(
        stream_line("line " + std::to_string(i) + " " + std::string(1000, 'x') + "\\n"));
  lines.push_back(R"({"error":"The command '/bin/sh -c ./noisy' returned a non-zero code: 2"})");
  test::FakeDockerApi api;
  api.answer_stream("/build", 200, lines);
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE_FALSE(id.ok());
  const std::string& message = id.errors().front().message;
  CHECK(
      message.starts_with("building app:1 on Docker at unix:///fake.sock failed at step 1/1 RUN "
                          "./noisy: exit code 2\n"));
  CHECK(message.find("    line 29 ") == std::string::npos);
  CHECK(message.find("    line 30 ") != std::string::npos);
  CHECK(message.find("    line 49 ") != std::string::npos);
  CHECK(message.size() < kBuildTailLines * (kBuildTailLineBytes + 8) + 200);
  CHECK(listener.lines.size() == 50);  // the listener heard all of it
}

TEST_CASE("image build: lines that are not JSON are output, not a failure") {
  test::FakeDockerApi api;
  api.answer_stream("/build", 200,
                    {"a proxy said hello {", "[1,2]", R"({"aux":{"ID":"sha256:77"}})"});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE(id.ok());
  CHECK(*id == "sha256:77");
  CHECK(listener.lines == std::vector<std::string>{"a proxy said hello {", "[1,2]"});
}

TEST_CASE("image build: a build that names no image is an error") {
  test::FakeDockerApi api;
  api.answer_stream("/build", 200, {stream_line("Step 1/1 : FROM alpine\\n")});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE_FALSE(id.ok());
  CHECK(id.errors().front().message ==
        "building app:1 on Docker at unix:///fake.sock: the build ended without naming an image");
}

TEST_CASE("image build: a refused build carries Docker's message") {
  test::FakeDockerApi api;
  api.answer_stream("/build", 500, {R"({"message":"invalid reference format"})"});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE_FALSE(id.ok());
  CHECK(id.errors().front().message ==
        "building app:1 on Docker at unix:///fake.sock: Docker at unix:///fake.sock refused POST "
        "/build (HTTP 500): invalid reference format");
}

TEST_CASE("image build: a stop cancels the build and says it was interrupted") {
  test::FakeDockerApi api;
  api.answer_stream("/build", 200,
                    {stream_line("Step 1/2 : FROM alpine\\n"),
                     stream_line("Step 2/2 : RUN make\\n"), R"({"aux":{"ID":"sha256:9d3e"}})"});
  std::atomic<bool> stop{false};
  RecordingListener listener(&stop, 2);
  Result<std::string> id = build_image(api, app_request(), writes("tar"), listener, stop);
  REQUIRE_FALSE(id.ok());
  CHECK(id.errors().front().message ==
        "building app:1 on Docker at unix:///fake.sock: interrupted");
}

TEST_CASE("image build: what a step wrote to stderr is kept without the daemon's colours") {
  test::FakeDockerApi api;
  api.answer_stream(
      "/build", 200,
      {stream_line("Step 2/4 : RUN echo oops >&2; exit 3\\n"),
       stream_line(" ---> Running in 9f\\n"), stream_line("\\u001b[91moops\\n"),
       stream_line("\\u001b[0mRemoving intermediate container 9f\\n"),
       R"({"errorDetail":{"message":"The command '/bin/sh -c echo oops >&2; exit 3' returned a non-zero code: 3"}})"});
  RecordingListener listener;
  Result<std::string> id = build(api, listener);
  REQUIRE_FALSE(id.ok());
  CHECK(id.errors().front().message ==
        "building app:1 on Docker at unix:///fake.sock failed at step 2/4 RUN echo oops >&2; "
        "exit 3: exit code 3\n"
        "    oops");
}

}  // namespace run::docker
