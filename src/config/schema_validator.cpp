#include "config/schema_validator.h"

// valijson's adapter must come before any RapidJSON header (it sets RAPIDJSON_ASSERT).
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <stdexcept>

#include "config/json_convert.h"
#include "config/schema_text.h"
#include "core/did_you_mean.h"

namespace run::config {

namespace {

using model::Node;
using model::NodeKind;
using Steps = std::vector<std::string>;

/// The schema, parsed once: as JSON (to read expected types, enums and keys for messages)
/// and as valijson's compiled form (to validate).
struct CompiledSchema {
  rapidjson::Document json;
  valijson::Schema schema;
};

const CompiledSchema& compiled_schema() {
  static const CompiledSchema* compiled = [] {
    auto* result = new CompiledSchema();
    std::string_view text = run_config_schema_text();
    result->json.Parse(text.data(), text.size());
    if (result->json.HasParseError())
      throw std::logic_error("the built-in schema is not valid JSON");
    valijson::SchemaParser parser;
    valijson::adapters::RapidJsonAdapter adapter(result->json);
    parser.populateSchema(adapter, result->schema);
    return result;
  }();
  return *compiled;
}

// ---- reading the schema for messages ------------------------------------------------------

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

/// Follows local "$ref": "#/definitions/NAME" links.
const rapidjson::Value* resolve(const rapidjson::Value* schema) {
  const rapidjson::Value& root = compiled_schema().json;
  for (int hops = 0; schema != nullptr && hops < 8; ++hops) {
    const rapidjson::Value* ref = member(*schema, "$ref");
    if (ref == nullptr || !ref->IsString()) return schema;
    std::string_view target = ref->GetString();
    constexpr std::string_view kPrefix = "#/definitions/";
    if (!target.starts_with(kPrefix)) return nullptr;
    const rapidjson::Value* definitions = member(root, "definitions");
    schema = definitions ? member(*definitions, std::string(target.substr(kPrefix.size())).c_str())
                         : nullptr;
  }
  return schema;
}

/// The schema that applies to the value at `steps`, walking the configuration beside it so
/// that a list index follows `items` and a map key follows `properties` or
/// `additionalProperties`.
const rapidjson::Value* schema_at(const Node& root, const Steps& steps) {
  const rapidjson::Value* schema = resolve(&compiled_schema().json);
  const Node* node = &root;
  for (const std::string& step : steps) {
    if (schema == nullptr || node == nullptr) return nullptr;
    const rapidjson::Value* next = nullptr;
    if (node->kind == NodeKind::kSequence) {
      next = member(*schema, "items");
    } else if (const rapidjson::Value* properties = member(*schema, "properties");
               properties && member(*properties, step.c_str())) {
      next = member(*properties, step.c_str());
    } else {
      next = member(*schema, "additionalProperties");
    }
    schema = resolve(next);
    node = model::lookup(*node, Steps{step});
  }
  return schema;
}

std::vector<std::string> strings_of(const rapidjson::Value* array) {
  std::vector<std::string> values;
  if (array == nullptr) return values;
  if (array->IsString()) return {array->GetString()};
  if (!array->IsArray()) return values;
  for (const auto& item : array->GetArray())
    if (item.IsString()) values.emplace_back(item.GetString());
  return values;
}

std::vector<std::string> property_names(const rapidjson::Value* schema) {
  std::vector<std::string> names;
  const rapidjson::Value* properties = schema ? member(*schema, "properties") : nullptr;
  if (properties == nullptr || !properties->IsObject()) return names;
  for (const auto& property : properties->GetObject())
    names.emplace_back(property.name.GetString());
  return names;
}

bool allows_any_key(const rapidjson::Value* schema) {
  const rapidjson::Value* additional = schema ? member(*schema, "additionalProperties") : nullptr;
  return additional == nullptr || !additional->IsBool() || additional->GetBool();
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " or " : ", ";
    text += "'" + words[i] + "'";
  }
  return text;
}

std::string type_list(const std::vector<std::string>& types) {
  std::vector<std::string> names;
  for (const std::string& type : types) {
    if (type == "object")
      names.push_back("a mapping");
    else if (type == "array")
      names.push_back("a list");
    else if (type == "null")
      names.push_back("null");
    else if (type == "integer")
      names.push_back("an integer");
    else if (type == "boolean")
      names.push_back("a boolean");
    else
      names.push_back("a " + type);
  }
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

/// Whether the node's JSON type is one of `types` (true when the schema names none).
bool has_type(const Node& node, const std::vector<std::string>& types) {
  if (types.empty()) return true;
  auto allows = [&](const char* type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  switch (node.kind) {
    case NodeKind::kNull:
      return allows("null");
    case NodeKind::kBool:
      return allows("boolean");
    case NodeKind::kInt:
      return allows("integer") || allows("number");
    case NodeKind::kFloat:
      return allows("number");
    case NodeKind::kString:
      return allows("string");
    case NodeKind::kSequence:
      return allows("array");
    case NodeKind::kMap:
      return allows("object");
  }
  return false;
}

// ---- turning valijson's errors into diagnostics ------------------------------------------

/// valijson's context: "<root>", "[services]", "[app]" -> {"services", "app"}.
Steps steps_of(const std::vector<std::string>& context) {
  Steps steps;
  for (const std::string& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
      steps.push_back(part.substr(1, part.size() - 2));
  }
  return steps;
}

/// A hint for the YAML slips that turn a string into another type.
std::string type_hint(const Node& node, const std::vector<std::string>& expected) {
  bool wants_string = std::find(expected.begin(), expected.end(), "string") != expected.end();
  if (!wants_string || !node.is_scalar() || node.sensitive) return {};
  if (node.kind == NodeKind::kBool)
    return "YAML reads " + node.text + " as a boolean; quote it (\"" + node.text +
           "\") if you mean the text";
  if (node.kind == NodeKind::kFloat || node.kind == NodeKind::kInt)
    return "YAML reads " + node.text + " as a number; quote it (\"" + node.text +
           "\") to keep it as written";
  return {};
}

class Translator {
 public:
  Translator(const Node& root, Diagnostics& out) : root_(root), out_(out) {}

  void translate(const valijson::ValidationResults::Error& error) {
    Steps steps = steps_of(error.context);
    const Node* node = model::lookup(root_, steps);
    if (node == nullptr) return;
    const std::string& text = error.description;
    if (text.starts_with("Object contains a property that could not be validated"))
      return unknown_keys(*node, steps);
    if (text.starts_with("Value type not permitted")) return wrong_type(*node, steps);
    if (text.starts_with("Failed to match against any enum")) return not_in_enum(*node, steps);
    if (text.starts_with("Missing required property '")) return missing_key(*node, steps, text);
    if (text.starts_with("Failed to match regex")) return no_pattern_match(*node, steps);
    if (text.starts_with("Failed to validate")) return;  // a parent's summary of a child's error
    add(node->location, steps, lower_first(text), {});
  }

 private:
  void add(const SourceLocation& location, const Steps& steps, std::string message,
           std::string hint) {
    out_.push_back(
        make_error(location, model::join_path(steps), std::move(message), std::move(hint)));
  }

  static std::string lower_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
      text[0] = static_cast<char>(text[0] - 'A' + 'a');
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
  }

  // valijson names only the first unknown key of an object; report them all.
  void unknown_keys(const Node& object, const Steps& steps) {
    const rapidjson::Value* schema = schema_at(root_, steps);
    if (allows_any_key(schema)) return;
    std::vector<std::string> known = property_names(schema);
    for (const model::MapEntry& entry : object.entries) {
      if (std::find(known.begin(), known.end(), entry.key) != known.end()) continue;
      Steps key_steps = steps;
      key_steps.push_back(entry.key);
      std::string hint = did_you_mean(entry.key, known);
      if (hint.empty() && !known.empty()) hint = "expected one of " + quoted_list(known);
      add(entry.key_location, key_steps, "unknown key '" + entry.key + "'", hint);
    }
  }

  void wrong_type(const Node& node, const Steps& steps) {
    const rapidjson::Value* schema = schema_at(root_, steps);
    std::vector<std::string> expected = strings_of(schema ? member(*schema, "type") : nullptr);
    std::string got = std::string(model::kind_name(node.kind));
    if (node.is_scalar() && node.kind != NodeKind::kNull) got += " " + model::describe_value(node);
    add(node.location, steps, "expected " + type_list(expected) + ", got " + got,
        type_hint(node, expected));
  }

  void not_in_enum(const Node& node, const Steps& steps) {
    const rapidjson::Value* schema = schema_at(root_, steps);
    // A value of the wrong type fails the enum too; the type error says it better.
    if (!has_type(node, strings_of(schema ? member(*schema, "type") : nullptr))) return;
    std::vector<std::string> allowed = strings_of(schema ? member(*schema, "enum") : nullptr);
    std::string hint = node.sensitive ? std::string() : did_you_mean(node.text, allowed);
    add(node.location, steps,
        "expected " + quoted_list(allowed) + ", got " + model::describe_value(node), hint);
  }

  // The schema says what its pattern means in `patternErrorMessage` (the key editors using
  // the schema show too); a pattern itself would mean nothing to a user.
  void no_pattern_match(const Node& node, const Steps& steps) {
    const rapidjson::Value* schema = schema_at(root_, steps);
    const rapidjson::Value* meaning = schema ? member(*schema, "patternErrorMessage") : nullptr;
    std::string expected =
        meaning && meaning->IsString() ? meaning->GetString() : "expected text of another form";
    add(node.location, steps, expected + ", got " + model::describe_value(node), {});
  }

  void missing_key(const Node& object, const Steps& steps, const std::string& text) {
    std::size_t open = text.find('\'');
    std::string key = text.substr(open + 1, text.rfind('\'') - open - 1);
    std::string where = steps.empty() ? "the file" : model::join_path(steps);
    add(object.location, steps, "missing required key '" + key + "' in " + where, {});
  }

  const Node& root_;
  Diagnostics& out_;
};

}  // namespace

Diagnostics validate_schema(const Node& root) {
  const CompiledSchema& compiled = compiled_schema();
  rapidjson::Document document = to_json(root);
  valijson::adapters::RapidJsonAdapter target(document);
  valijson::Validator validator;
  valijson::ValidationResults results;
  Diagnostics diagnostics;
  try {
    if (validator.validate(compiled.schema, target, &results)) return diagnostics;
  } catch (const std::exception& error) {
    diagnostics.push_back(
        make_error(root.location, "", std::string("schema validation failed: ") + error.what()));
    return diagnostics;
  }
  Translator translator(root, diagnostics);
  valijson::ValidationResults::Error error;
  while (results.popError(error)) translator.translate(error);
  return diagnostics;
}

}  // namespace run::config
