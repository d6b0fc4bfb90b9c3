#pragma once

#include <cstddef>
#include <string>

#include "model/document_diff.h"
#include "render/color.h"

namespace run::render {

/// The version of `run diff -o json`: changes only when a field changes meaning or is
/// removed; new fields may be added within "1".
inline constexpr std::string_view kDiffFormatVersion = "1";

/// One side of `run diff`: an environment, in the working tree or at a git revision.
struct DiffSide {
  std::string environment;
  std::string revision;   ///< as the user wrote it ("HEAD~1"); empty for the working tree
  std::string commit_id;  ///< the 40-hex commit the revision names; empty for the working tree
  std::string short_id;   ///< its abbreviation

  /// "dev" or "HEAD~1:dev": the operand as it is written on the command line.
  std::string label() const;
  /// "dev (working tree)" or "HEAD~1:dev (3f2a1bc)".
  std::string described() const;
};

/// "4 fields differ: 1 changed, 2 added (only in production), 1 removed (only in staging).",
/// or for identical sides "No differences: staging and production render the same state."
std::string diff_summary_line(const model::DocumentDiff& diff, const DiffSide& a,
                              const DiffSide& b);

/// The diff as text: a `--- a:` / `+++ b:` header naming each side, one line per field
/// (`~ path: A -> B`, `+ path = B`, `- path = A`, sorted by path) with each side's
/// `file:line` after `#`, then the summary line. Secrets are "(sensitive)".
std::string document_diff_text(const model::DocumentDiff& diff, const DiffSide& a,
                               const DiffSide& b, Color color);

/// The diff as a pull-request comment: the summary in bold, then a table with one row per
/// field (the value and origin of each side). Kept under `max_length` characters: rows that
/// do not fit are counted in a "N more fields not shown" line.
std::string document_diff_markdown(const model::DocumentDiff& diff, const DiffSide& a,
                                   const DiffSide& b, std::size_t max_length = 64000);

/// The diff as one JSON object, the shape of docs/output-contract.md ("run diff -o json").
std::string document_diff_json(const model::DocumentDiff& diff, const DiffSide& a,
                               const DiffSide& b);

}  // namespace run::render
