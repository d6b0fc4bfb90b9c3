#include "app/deployment_sources.h"

#include <algorithm>

namespace run::app {

namespace {

/// The record whose configuration `record` deployed: a rollback deploys the state of the record
/// it goes back to (and its builds come from that record's commit), whatever the working tree
/// it was run from held.
const history::RecordSummary* made_from(const history::RecordSummary& record,
                                        const std::map<int, const history::RecordSummary*>& all) {
  const history::RecordSummary* at = &record;
  for (std::size_t hops = 0; at->rollback_of && hops < all.size(); ++hops) {
    auto it = all.find(*at->rollback_of);
    if (it == all.end()) break;
    at = it->second;
  }
  return at;
}

}  // namespace

Result<std::map<std::string, std::string>> deployment_sources(const Workspace& workspace,
                                                              const std::string& project_directory,
                                                              const model::DesiredState& desired) {
  if (std::none_of(desired.services.begin(), desired.services.end(),
                   [](const model::ServiceSpec& spec) { return spec.build.has_value(); }))
    return std::map<std::string, std::string>{};
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(project_directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  Result<std::vector<history::RecordSummary>> records = (*store)->list(desired.environment);
  if (!records) return records.errors();
  std::map<int, const history::RecordSummary*> by_number;
  for (const history::RecordSummary& record : *records) by_number[record.number] = &record;
  std::map<std::string, std::string> sources;
  for (const history::RecordSummary& record : *records) {
    const history::RecordSummary* made = made_from(record, by_number);
    if (made->source_commit.empty()) continue;
    sources[std::to_string(record.number)] =
        made->source_commit.substr(0, 12) + (made->source_dirty ? "+dirty" : "");
  }
  return sources;
}

}  // namespace run::app
