#include "config/interpolate.h"

#include "core/utf8.h"
#include "model/scalar_type.h"

namespace run::config {

namespace {

using model::Node;
using model::NodeKind;

constexpr std::string_view kSecretPrefix = "secret:";

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

std::size_t name_length(std::string_view text) {
  if (text.empty() || !is_name_start(text[0])) return 0;
  std::size_t length = 1;
  while (length < text.size() && is_name_char(text[length])) ++length;
  return length;
}

Diagnostic message_error(std::string message, std::string hint = {}) {
  return make_error(SourceLocation{}, "", std::move(message), std::move(hint));
}

/// The end of the `${...}` that opens at `open` (the index of '$'), matching nested braces.
std::size_t matching_brace(std::string_view text, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

/// What a reference turns into: its value, or (for history) the same text with every
/// secret kept as `${secret:NAME}` and every other '$' escaped, so that interpolating the
/// reference again with the same secrets gives the value.
enum class ExpandForm { kValue, kReference };

std::string escape_dollars(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

class Expander {
 public:
  Expander(const InterpolationScope& scope, ExpandForm form) : scope_(scope), form_(form) {}

  Result<std::string> expand(std::string_view text, int depth = 0) {
    if (depth > 8) return message_error("references are nested more than 8 deep");
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t dollar = text.find('$', i);
      out.append(
          text.substr(i, dollar == std::string_view::npos ? std::string_view::npos : dollar - i));
      if (dollar == std::string_view::npos) break;
      Result<std::size_t> next = expand_reference(text, dollar, depth, out);
      if (!next) return std::move(next).take_errors();
      i = *next;
    }
    return out;
  }

  bool used_secret() const { return used_secret_; }
  std::vector<std::string> take_missing_secrets() { return std::move(missing_secrets_); }

 private:
  /// Appends the value of the reference at `dollar` to `out`; returns where the text goes on.
  Result<std::size_t> expand_reference(std::string_view text, std::size_t dollar, int depth,
                                       std::string& out) {
    std::string_view rest = text.substr(dollar + 1);
    if (rest.starts_with('$')) {
      out += literal("$");
      return dollar + 2;
    }
    if (std::size_t length = name_length(rest); length > 0) {
      Result<std::string> value = variable(rest.substr(0, length));
      if (!value) return std::move(value).take_errors();
      out += *value;
      return dollar + 1 + length;
    }
    if (!rest.starts_with('{')) {
      out += literal("$");  // a lone '$' is itself, as in a shell
      return dollar + 1;
    }
    std::size_t close = matching_brace(text, dollar);
    if (close == std::string_view::npos)
      return message_error(
          "unterminated '${' at character " + std::to_string(dollar + 1) + " of the value",
          "close it with '}', or write '$$' for a literal '$'");
    Result<std::string> value = braced(text.substr(dollar + 2, close - dollar - 2), depth);
    if (!value) return std::move(value).take_errors();
    out += *value;
    return close + 1;
  }

  Result<std::string> variable(std::string_view name) {
    auto it = scope_.variables.find(name);
    if (it != scope_.variables.end()) return literal(it->second);
    return message_error(
        "variable " + std::string(name) + " is not set",
        "export it, add it to .env, or give a default: ${" + std::string(name) + ":-value}");
  }

  Result<std::string> secret(std::string_view name) {
    if (name.empty()) return message_error("'${secret:}' names no secret");
    if (!scope_.secrets_allowed)
      return message_error("a .env value cannot refer to a secret",
                           "write ${secret:" + std::string(name) + "} in run-config.yaml instead");
    used_secret_ = true;
    if (form_ == ExpandForm::kReference) return "${secret:" + std::string(name) + "}";
    auto it = scope_.secrets.find(name);
    if (it != scope_.secrets.end()) return it->second;
    if (scope_.missing_secret == MissingSecret::kWarning) {
      missing_secrets_.emplace_back(name);
      return std::string();
    }
    return message_error("secret " + std::string(name) + " is not set",
                         "export RUN_SECRET_" + std::string(name) + ", or add " +
                             std::string(name) + "=... to " + scope_.secrets_file);
  }

  /// The inside of `${...}`: NAME, then nothing or one of :- - :? ? :+ + and its argument.
  Result<std::string> braced(std::string_view inside, int depth) {
    if (inside.starts_with(kSecretPrefix)) return secret(inside.substr(kSecretPrefix.size()));
    std::size_t length = name_length(inside);
    if (length == 0)
      return message_error("invalid reference '${" + std::string(inside) + "}'",
                           "a name starts with a letter or '_'; write '$$' for a literal '$'");
    std::string_view name = inside.substr(0, length);
    std::string_view tail = inside.substr(length);
    if (tail.empty()) return variable(name);
    bool colon = tail.starts_with(':');
    if (colon) tail.remove_prefix(1);
    if (tail.empty() || (tail[0] != '-' && tail[0] != '?' && tail[0] != '+'))
      return message_error("invalid reference '${" + std::string(inside) + "}'",
                           "use ${VAR}, ${VAR:-default}, ${VAR:?message} or ${VAR:+alternative}");
    char op = tail[0];
    std::string_view argument = tail.substr(1);
    auto it = scope_.variables.find(name);
    bool set = it != scope_.variables.end();
    bool usable = set && (!colon || !it->second.empty());
    if (op == '-')
      return usable ? Result<std::string>(literal(it->second)) : expand(argument, depth + 1);
    if (op == '+') return usable ? expand(argument, depth + 1) : Result<std::string>(std::string());
    if (usable) return literal(it->second);
    return message_error("variable " + std::string(name) + (set ? " is empty: " : " is not set: ") +
                         required_message(argument, depth));
  }

  /// The message of `${VAR:?message}`, itself interpolated as compose does
  /// (`${A:?set A for ${ENV_NAME}}`). A message that cannot be interpolated is shown as written,
  /// so the error still names the variable that is required; one that holds a secret is not
  /// shown at all.
  std::string required_message(std::string_view argument, int depth) const {
    if (argument.empty()) return "is required";
    Expander message(scope_, ExpandForm::kValue);
    Result<std::string> text = message.expand(argument, depth + 1);
    if (!text) return std::string(argument);
    if (message.used_secret()) return "(sensitive)";
    return *text;
  }

  /// Text that is not a reference: as is for a value, '$' escaped for a reference.
  std::string literal(std::string_view text) const {
    return form_ == ExpandForm::kReference ? escape_dollars(text) : std::string(text);
  }

  const InterpolationScope& scope_;
  ExpandForm form_;
  bool used_secret_ = false;
  std::vector<std::string> missing_secrets_;
};

void interpolate_node(Node& node, const InterpolationScope& scope, Diagnostics& errors) {
  for (Node& item : node.items) interpolate_node(item, scope, errors);
  for (model::MapEntry& entry : node.entries) interpolate_node(entry.value, scope, errors);
  if (node.kind != NodeKind::kString || node.text.find('$') == std::string::npos) return;
  Result<Interpolated> result = interpolate_text(node.text, scope);
  if (!result) {
    for (Diagnostic error : result.errors()) {
      error.location = node.location;
      errors.push_back(std::move(error));
    }
    return;
  }
  if (first_invalid_utf8(result->text)) {
    errors.push_back(make_error(node.location, "",
                                "the value is not valid UTF-8 after interpolation",
                                "check the variables it refers to"));
    return;
  }
  for (const std::string& name : result->missing_secrets) {
    errors.push_back(Diagnostic{
        Severity::kWarning, node.location, "",
        "secret " + name + " is not set; plan and apply will need it",
        "export RUN_SECRET_" + name + ", or add " + name + "=... to .run/secrets/<env>.env"});
  }
  node.text = std::move(result->text);
  if (result->used_secret) node.reference = std::move(result->reference);
  node.sensitive = node.sensitive || result->used_secret;
  // A secret stays a string whatever it looks like: its value must not change its type.
  // An empty result is an empty string, not null: `KEY: ${UNSET:-}` means "".
  if (node.style == model::ScalarStyle::kPlain && !result->used_secret && !node.text.empty())
    node.kind = model::resolve_plain_scalar(node.text);
}

}  // namespace

Result<Interpolated> interpolate_text(std::string_view text, const InterpolationScope& scope) {
  Expander expander(scope, ExpandForm::kValue);
  Result<std::string> expanded = expander.expand(text);
  if (!expanded) return std::move(expanded).take_errors();
  Interpolated result{
      std::move(*expanded), expander.used_secret(), expander.take_missing_secrets(), {}};
  if (result.used_secret) {
    // The value expanded, so the reference does too: same text, same variables.
    Expander referencer(scope, ExpandForm::kReference);
    Result<std::string> reference = referencer.expand(text);
    if (reference) result.reference = std::move(*reference);
  }
  return result;
}

Diagnostics interpolate_tree(Node& root, const InterpolationScope& scope) {
  Diagnostics errors;
  interpolate_node(root, scope, errors);
  return errors;
}

}  // namespace run::config
