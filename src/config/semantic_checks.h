#pragma once

#include "core/diagnostic.h"
#include "model/document.h"

namespace run::config {

/// The checks a schema cannot make, on a configuration that passed the schema: names fit
/// Docker's rules; depends_on, volumes and networks name things that exist; no dependency
/// cycle; no host port published twice; durations, memory sizes and ports are well formed;
/// default_environment is declared; and each service's keys fit the deploy target of
/// `environment`, the one being loaded (config/target_checks.h). Every problem is reported,
/// each at its file:line:col.
Diagnostics check_semantics(const model::Node& root, std::string_view environment);

/// A name usable in a container name: lower-case letters, digits, '-' and '_', starting with
/// a letter or digit, at most `max_length` characters. Checked without std::regex, which
/// overflows the stack on long input.
bool is_valid_name(std::string_view name, std::size_t max_length);

}  // namespace run::config
