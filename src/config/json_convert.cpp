#include "config/json_convert.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "model/scalar_type.h"

namespace run::config {

namespace {

using model::Node;
using model::NodeKind;
using Allocator = rapidjson::Document::AllocatorType;

double parse_float(const std::string& text) {
  std::string_view digits = text;
  bool negative = digits.starts_with('-');
  if (negative || digits.starts_with('+')) digits.remove_prefix(1);
  double infinity = std::numeric_limits<double>::infinity();
  if (digits == ".inf" || digits == ".Inf" || digits == ".INF")
    return negative ? -infinity : infinity;
  if (digits == ".nan" || digits == ".NaN" || digits == ".NAN")
    return std::numeric_limits<double>::quiet_NaN();
  return std::strtod(text.c_str(), nullptr);
}

rapidjson::Value integer_value(const std::string& text) {
  std::int64_t value = 0;
  std::string_view digits = text;
  int base = 10;
  if (digits.starts_with("0o")) base = 8;
  if (digits.starts_with("0x")) base = 16;
  if (base != 10) digits.remove_prefix(2);
  if (digits.starts_with('+')) digits.remove_prefix(1);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size())
    return rapidjson::Value(std::strtod(text.c_str(), nullptr));  // too large for 64 bits
  return rapidjson::Value(static_cast<int64_t>(value));
}

rapidjson::Value convert(const Node& node, Allocator& allocator) {
  switch (node.kind) {
    case NodeKind::kNull:
      return rapidjson::Value(rapidjson::kNullType);
    case NodeKind::kBool:
      return rapidjson::Value(model::is_true_literal(node.text));
    case NodeKind::kInt:
      return integer_value(node.text);
    case NodeKind::kFloat:
      return rapidjson::Value(parse_float(node.text));
    case NodeKind::kString:
      return rapidjson::Value(node.text.c_str(), static_cast<rapidjson::SizeType>(node.text.size()),
                              allocator);
    case NodeKind::kSequence: {
      rapidjson::Value array(rapidjson::kArrayType);
      for (const Node& item : node.items) array.PushBack(convert(item, allocator), allocator);
      return array;
    }
    case NodeKind::kMap: {
      rapidjson::Value object(rapidjson::kObjectType);
      for (const auto& entry : node.entries) {
        rapidjson::Value key(entry.key.c_str(), static_cast<rapidjson::SizeType>(entry.key.size()),
                             allocator);
        object.AddMember(key, convert(entry.value, allocator), allocator);
      }
      return object;
    }
  }
  return rapidjson::Value(rapidjson::kNullType);
}

}  // namespace

rapidjson::Document to_json(const Node& root) {
  rapidjson::Document document;
  rapidjson::Value value = convert(root, document.GetAllocator());
  static_cast<rapidjson::Value&>(document) = std::move(value);
  return document;
}

}  // namespace run::config
