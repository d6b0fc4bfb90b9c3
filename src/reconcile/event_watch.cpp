#include "reconcile/event_watch.h"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "model/names.h"

namespace run::reconcile {

namespace {

std::string events_path(const std::string& project, const std::string& environment) {
  // Label filters are and-ed: only this project's containers in this environment.
  return "/events?filters=" +
         docker::filters_query({{"type", {"container"}},
                                {"event", {"die", "stop", "destroy"}},
                                {"label",
                                 {std::string(model::kLabelProject) + "=" + project,
                                  std::string(model::kLabelEnvironment) + "=" + environment}}});
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

}  // namespace

std::string describe_event(std::string_view line) {
  rapidjson::Document event;
  event.Parse(line.data(), line.size());
  if (event.HasParseError()) return "";
  const rapidjson::Value* type = member(event, "Type");
  const rapidjson::Value* action = member(event, "Action");
  if (!type || !type->IsString() || std::string_view(type->GetString()) != "container" || !action ||
      !action->IsString())
    return "";
  std::string description = action->GetString();
  const rapidjson::Value* actor = member(event, "Actor");
  const rapidjson::Value* attributes = actor ? member(*actor, "Attributes") : nullptr;
  const rapidjson::Value* name = attributes ? member(*attributes, "name") : nullptr;
  if (name && name->IsString()) description += std::string(" ") + name->GetString();
  return description;
}

EventWatch::EventWatch(docker::DockerEndpoint endpoint, const std::string& project,
                       const std::string& environment,
                       std::function<void(const std::string&)> on_event)
    : docker_(std::move(endpoint)),
      path_(events_path(project, environment)),
      on_event_(std::move(on_event)) {
  thread_ = std::thread([this] { follow(); });
}

EventWatch::~EventWatch() {
  stop_ = true;
  thread_.join();
}

void EventWatch::follow() {
  while (!stop_) {
    Status followed = docker_.follow_lines(path_, stop_, [this](std::string_view line) {
      std::string description = describe_event(line);
      if (!description.empty()) on_event_(description);
    });
    if (stop_) return;
    spdlog::warn("docker events: {}; following again in 5 s",
                 followed ? "the stream ended" : followed.errors().front().message);
    for (int i = 0; i < 50 && !stop_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace run::reconcile
