#include "config/dotenv.h"

#include <optional>

#include "config/dotenv_characters.h"
#include "config/dotenv_escapes.h"
#include "config/interpolate.h"
#include "core/utf8.h"

namespace run::config {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kExport = "export";
constexpr std::string_view kNameHint =
    "a line is KEY=VALUE; a name holds letters, digits, '_', '.', '-', '[' and ']'";

/// Whether `$` references in values are interpolated.
enum class DollarSigns { kExpand, kLiteral };

/// How a name ends: with its value to read, or alone on its line (it inherits a value).
enum class NameEnd { kValue, kLine };

struct Name {
  std::string text;
  NameEnd end = NameEnd::kValue;
};

bool is_control(char32_t c) { return c < 0x20 || c == 0x7F; }

/// The text of a character for an error message: itself, or its byte when it is a control
/// character or not UTF-8.
std::string shown_character(std::string_view text, std::size_t offset, CodePoint character) {
  bool not_utf8 = character.value == 0xFFFD && text.substr(offset, 3) != "\xEF\xBF\xBD";
  if (!not_utf8 && !is_control(character.value))
    return "'" + std::string(text.substr(offset, character.length)) + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto byte = static_cast<unsigned char>(text[offset]);
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

bool holds_blank(std::string_view name) {
  for (std::size_t i = 0; i < name.size();) {
    CodePoint character = decode_utf8_at(name, i);
    if (is_dotenv_blank(character.value)) return true;
    i += character.length;
  }
  return false;
}

/// Reads one `.env` text statement by statement, as compose does: a statement starts at the
/// first character that is not white space, and a quoted value ends at its closing quote, not
/// at the end of its line. Counts lines and columns for errors.
class DotenvParser {
 public:
  DotenvParser(std::string_view text, const std::string& file_name, DollarSigns dollars,
               const VariableMap& environment)
      : text_(text), file_name_(file_name), dollars_(dollars), environment_(environment) {
    if (text_.starts_with(kByteOrderMark)) offset_ = line_start_ = kByteOrderMark.size();
    lookup_.variables = environment;
    lookup_.secrets_allowed = false;
  }

  Result<VariableMap> parse() {
    while (!stopped_ && skip_to_statement()) {
      int line = line_;
      if (!statement() && line_ == line) skip_line();  // go on with the next line
    }
    if (!errors_.empty()) return errors_;
    return std::move(variables_);
  }

 private:
  bool at_end() const { return offset_ >= text_.size(); }
  CodePoint peek() const { return decode_utf8_at(text_, offset_); }
  SourceLocation here() const {
    return SourceLocation{file_name_, line_, static_cast<int>(offset_ - line_start_) + 1};
  }

  void advance(std::size_t length) {
    for (std::size_t end = offset_ + length; offset_ < end; ++offset_) {
      if (text_[offset_] != '\n') continue;
      ++line_;
      line_start_ = offset_ + 1;
    }
  }

  void skip_line() {
    std::size_t end = text_.find('\n', offset_);
    advance(end == std::string_view::npos ? text_.size() - offset_ : end + 1 - offset_);
  }

  void skip_blanks() {
    while (!at_end() && is_dotenv_blank(peek().value)) advance(peek().length);
  }

  /// Skips white space and comment lines; false at the end of the text.
  bool skip_to_statement() {
    while (!at_end()) {
      CodePoint character = peek();
      if (is_unicode_space(character.value)) {
        advance(character.length);
      } else if (text_[offset_] == '#') {
        skip_line();
      } else {
        return true;
      }
    }
    return false;
  }

  void error(SourceLocation where, std::string message, std::string hint = {}) {
    errors_.push_back(make_error(std::move(where), "", std::move(message), std::move(hint)));
  }

  /// One `[export] NAME`, `NAME=VALUE` or `NAME: VALUE`; false after an error.
  bool statement() {
    skip_export();
    SourceLocation where = here();
    std::optional<Name> name = read_name();
    if (!name) return false;
    if (name->text.empty()) {
      error(where, "expected a variable name before '" + std::string(1, text_[offset_ - 1]) + "'",
            std::string(kNameHint));
      return false;
    }
    if (holds_blank(name->text)) {
      error(where, "the variable name '" + name->text + "' holds a space", std::string(kNameHint));
      return false;
    }
    if (name->end == NameEnd::kLine) {
      inherit(name->text);
      return true;
    }
    skip_blanks();
    std::optional<std::string> value = read_value(name->text);
    if (!value) return false;
    define(name->text, std::move(*value));
    return true;
  }

  /// `export` and blanks before a name (`export` alone is a name).
  void skip_export() {
    if (!text_.substr(offset_).starts_with(kExport)) return;
    std::size_t after = offset_ + kExport.size();
    std::size_t name = after;
    while (name < text_.size() && is_dotenv_blank(decode_utf8_at(text_, name).value))
      name += decode_utf8_at(text_, name).length;
    if (name == after || name == text_.size() || text_[name] == '\n') return;
    advance(name - offset_);
  }

  /// The name up to `=`, `:` or the end of its line, blanks at its end trimmed.
  std::optional<Name> read_name() {
    std::size_t start = offset_;
    while (!at_end()) {
      CodePoint character = peek();
      char32_t c = character.value;
      if (c == '=' || c == ':' || c == '\n') {
        Name name{std::string(trim_right_unicode_space(text_.substr(start, offset_ - start))),
                  c == '\n' ? NameEnd::kLine : NameEnd::kValue};
        advance(1);
        return name;
      }
      if (!is_dotenv_blank(c) && !is_dotenv_name_char(c)) {
        error(here(),
              "unexpected " + shown_character(text_, offset_, character) + " in a variable name",
              std::string(kNameHint));
        return std::nullopt;
      }
      advance(character.length);
    }
    return Name{std::string(trim_right_unicode_space(text_.substr(start))), NameEnd::kLine};
  }

  std::optional<std::string> read_value(const std::string& name) {
    SourceLocation where = here();
    if (!at_end() && (text_[offset_] == '"' || text_[offset_] == '\'')) {
      char quote = text_[offset_];
      std::optional<std::string> raw = read_quoted(name, where);
      if (!raw || quote == '\'') return raw;
      if (dollars_ == DollarSigns::kLiteral)
        return expand_dotenv_escapes(*raw, EscapedDollar::kSingle);
      return interpolated(expand_dotenv_escapes(*raw, EscapedDollar::kDoubled), where);
    }
    std::string bare(read_bare());
    if (dollars_ == DollarSigns::kLiteral) return bare;
    return interpolated(bare, where);
  }

  /// A bare value: the rest of its line, up to ` #`, white space at its end trimmed.
  std::string_view read_bare() {
    std::size_t end = text_.find('\n', offset_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view value = text_.substr(offset_, end - offset_);
    advance(end == text_.size() ? end - offset_ : end + 1 - offset_);
    if (std::size_t comment = value.find(" #"); comment != std::string_view::npos)
      value = value.substr(0, comment);
    return trim_right_unicode_space(value);
  }

  /// The text between the quote at the cursor and its closing quote: a backslash before the
  /// quote keeps the quote, any other stays with the character it precedes (for the escapes of
  /// double quotes). An unclosed quote takes the rest of the text, so parsing stops there.
  std::optional<std::string> read_quoted(const std::string& name, const SourceLocation& where) {
    char quote = text_[offset_];
    advance(1);
    std::string raw;
    bool escaped = false;
    while (!at_end()) {
      char c = text_[offset_];
      advance(1);
      if (c == quote && !escaped) return raw;
      if (c == '\\' && !escaped) {
        escaped = true;
        continue;
      }
      if (escaped && c != quote) raw += '\\';
      escaped = false;
      raw += c;
    }
    error(where, "the quoted value of " + name + " is not closed",
          std::string("close it with ") + quote + "; a quoted value may span lines, and \\" +
              quote + " is a quote inside it");
    stopped_ = true;
    return std::nullopt;
  }

  std::optional<std::string> interpolated(const std::string& value, const SourceLocation& where) {
    if (value.find('$') == std::string::npos) return value;
    Result<Interpolated> result = interpolate_text(value, lookup_);
    if (result) return std::move(result->text);
    for (Diagnostic failure : result.errors()) {
      failure.location = where;
      errors_.push_back(std::move(failure));
    }
    return std::nullopt;
  }

  void define(const std::string& name, std::string value) {
    // The process environment is looked up first, so a line never hides it.
    if (!environment_.contains(name)) lookup_.variables[name] = value;
    variables_[name] = std::move(value);
  }

  /// A name alone takes its value from the environment or the lines above, if either sets it.
  void inherit(const std::string& name) {
    if (dollars_ == DollarSigns::kLiteral) return;
    auto known = lookup_.variables.find(name);
    if (known != lookup_.variables.end()) variables_[name] = known->second;
  }

  std::string_view text_;
  const std::string& file_name_;
  DollarSigns dollars_;
  const VariableMap& environment_;
  InterpolationScope lookup_;  ///< the environment over the lines read so far
  std::size_t offset_ = 0;
  std::size_t line_start_ = 0;
  int line_ = 1;
  bool stopped_ = false;
  VariableMap variables_;
  Diagnostics errors_;
};

}  // namespace

Result<VariableMap> parse_dotenv(std::string_view text, const std::string& file_name,
                                 const VariableMap& environment) {
  return DotenvParser(text, file_name, DollarSigns::kExpand, environment).parse();
}

Result<VariableMap> parse_dotenv_literal(std::string_view text, const std::string& file_name) {
  static const VariableMap kNothing;
  return DotenvParser(text, file_name, DollarSigns::kLiteral, kNothing).parse();
}

}  // namespace run::config
