#include "app/deployment_sources.h"

namespace run::app {

Result<std::map<std::string, std::string>> deployment_sources(const Workspace& workspace,
                                                              const std::string& project_directory,
                                                              const std::string& environment) {
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(project_directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  Result<std::vector<history::RecordSummary>> records = (*store)->list(environment);
  if (!records) return records.errors();
  std::map<std::string, std::string> sources;
  for (const history::RecordSummary& record : *records) {
    if (record.source_commit.empty()) continue;
    sources[std::to_string(record.number)] =
        record.source_commit.substr(0, 12) + (record.source_dirty ? "+dirty" : "");
  }
  return sources;
}

}  // namespace run::app
