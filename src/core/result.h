#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/diagnostic.h"

namespace run {

/// A value, or the diagnostics that explain why there is none. Errors are values: each layer
/// may add context, and only the CLI prints them. [[nodiscard]], as LLVM's Error: a result
/// nobody looked at is an error nobody saw.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}             // NOLINT(google-explicit-constructor)
  Result(Diagnostics errors) : state_(std::move(errors)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Diagnostics>(state_).empty());
  }
  Result(Diagnostic error) : state_(Diagnostics{std::move(error)}) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Diagnostics& errors() const { return std::get<Diagnostics>(state_); }
  Diagnostics take_errors() && { return std::get<Diagnostics>(std::move(state_)); }

 private:
  std::variant<T, Diagnostics> state_;
};

/// For operations that produce nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
[[nodiscard]] inline Status ok_status() { return Unit{}; }

/// Drops a result on purpose: a best-effort step whose failure is not the error to report
/// (a clean-up after an error, a destructor). The call says why.
template <class T>
void ignore_error(const Result<T>& /*result*/) {}

}  // namespace run
