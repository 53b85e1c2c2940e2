#include "transport/websocket_codec.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace messenger::transport {
namespace {

constexpr std::uint8_t kFinBit = 0x80;
constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kOpcodeBits = 0x0F;
constexpr std::uint8_t kMaskBit = 0x80;
constexpr std::uint8_t kLengthBits = 0x7F;
constexpr std::uint8_t kLength16 = 126;
constexpr std::uint8_t kLength64 = 127;
constexpr std::uint64_t kMaxLength16 = 0xFFFF;
constexpr std::uint64_t kLength64TopBit = 1ULL << 63;
constexpr std::size_t kCloseCodeBytes = 2;
constexpr std::size_t kMaxCloseReason = kMaxControlPayload - kCloseCodeBytes;
constexpr std::uint64_t kMaxEagerReserve = 64 << 10;

bool is_control(Opcode opcode) {
  return (static_cast<std::uint8_t>(opcode) & 0x8) != 0;
}

bool is_known_opcode(std::uint8_t opcode) {
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::continuation:
    case Opcode::text:
    case Opcode::binary:
    case Opcode::close:
    case Opcode::ping:
    case Opcode::pong:
      return true;
  }
  return false;
}

std::uint64_t read_big_endian(const std::uint8_t* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i)
    value = (value << 8) | bytes[i];
  return value;
}

std::size_t extended_length_bytes(std::uint8_t length7) {
  if (length7 == kLength16) return 2;
  if (length7 == kLength64) return 8;
  return 0;
}

// Longest prefix of `reason` that fits a close frame without splitting a code point.
std::string_view fit_close_reason(std::string_view reason) {
  if (!is_valid_utf8(reason)) return {};
  if (reason.size() <= kMaxCloseReason) return reason;
  std::size_t cut = kMaxCloseReason;
  while (cut > 0 && (static_cast<std::uint8_t>(reason[cut]) & 0xC0) == 0x80)
    --cut;
  return reason.substr(0, cut);
}

}  // namespace

std::string OutgoingFrame::to_bytes() const {
  std::string bytes(reinterpret_cast<const char*>(header.data()), header_size);
  bytes += payload;
  return bytes;
}

void apply_mask(const char* from, char* to, std::size_t size, const MaskKey& key,
                std::size_t offset) noexcept {
  std::array<std::uint8_t, 8> rotated{};
  for (std::size_t i = 0; i < rotated.size(); ++i)
    rotated[i] = key[(offset + i) % key.size()];
  std::uint64_t word_key;
  std::memcpy(&word_key, rotated.data(), sizeof(word_key));

  std::size_t i = 0;
  for (; i + sizeof(word_key) <= size; i += sizeof(word_key)) {
    std::uint64_t word;
    std::memcpy(&word, from + i, sizeof(word));
    word ^= word_key;
    std::memcpy(to + i, &word, sizeof(word));
  }
  for (; i < size; ++i) {
    to[i] = static_cast<char>(static_cast<std::uint8_t>(from[i]) ^ rotated[i % key.size()]);
  }
}

bool is_valid_close_code(std::uint16_t code) noexcept {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

WebSocketCodec::WebSocketCodec(CodecOptions options) : options_(std::move(options)) {}

Decoded WebSocketCodec::decode(std::string_view& input) {
  while (stage_ != Stage::finished) {
    if (stage_ == Stage::header) {
      if (!read_header(input)) return {};
      Decoded checked = check_header();
      if (checked.kind == DecodedKind::failed) return checked;
      stage_ = Stage::payload;
    }

    Decoded event = is_control(opcode_) ? read_control(input) : read_data(input);
    if (event.kind != DecodedKind::none) return event;
    if (stage_ == Stage::payload) return {};
  }
  input.remove_prefix(input.size());
  return {};
}

bool WebSocketCodec::read_header(std::string_view& input) {
  while (header_have_ < header_need_ && !input.empty()) {
    header_[header_have_++] = static_cast<std::uint8_t>(input.front());
    input.remove_prefix(1);
    if (header_have_ == 2) {
      header_need_ = 2 + extended_length_bytes(header_[1] & kLengthBits) +
                     ((header_[1] & kMaskBit) ? sizeof(MaskKey) : 0);
    }
  }
  return header_have_ == header_need_;
}

Decoded WebSocketCodec::check_header() {
  const std::uint8_t first = header_[0];
  const std::uint8_t second = header_[1];
  header_have_ = 0;
  header_need_ = 2;

  if (first & kReservedBits) return fail(CloseCode::protocol_error, "reserved bits set");
  if (!is_known_opcode(first & kOpcodeBits)) {
    return fail(CloseCode::protocol_error, "unknown opcode");
  }
  fin_ = (first & kFinBit) != 0;
  opcode_ = static_cast<Opcode>(first & kOpcodeBits);
  masked_ = (second & kMaskBit) != 0;
  if (masked_ != (options_.role == Role::server)) {
    return fail(CloseCode::protocol_error,
                masked_ ? "masked frame from the server" : "unmasked frame from the client");
  }

  const std::uint8_t length7 = second & kLengthBits;
  const std::size_t length_bytes = extended_length_bytes(length7);
  const std::uint64_t length = length_bytes ? read_big_endian(&header_[2], length_bytes) : length7;
  if (length7 == kLength16 && length < kLength16) {
    return fail(CloseCode::protocol_error, "non-minimal 16-bit length");
  }
  if (length7 == kLength64 && (length <= kMaxLength16 || (length & kLength64TopBit))) {
    return fail(CloseCode::protocol_error, "invalid 64-bit length");
  }
  if (masked_) std::memcpy(mask_.data(), &header_[2 + length_bytes], mask_.size());
  frame_remaining_ = length;
  frame_offset_ = 0;
  return is_control(opcode_) ? start_control_frame(length) : start_data_frame(length);
}

Decoded WebSocketCodec::start_control_frame(std::uint64_t length) {
  if (!fin_) return fail(CloseCode::protocol_error, "fragmented control frame");
  if (length > kMaxControlPayload) {
    return fail(CloseCode::protocol_error, "control frame over 125 bytes");
  }
  control_.clear();
  return {};
}

Decoded WebSocketCodec::start_data_frame(std::uint64_t length) {
  const bool continues = opcode_ == Opcode::continuation;
  if (continues && !in_message_) {
    return fail(CloseCode::protocol_error, "continuation without a message");
  }
  if (!continues && in_message_) {
    return fail(CloseCode::protocol_error, "new message inside a fragmented one");
  }
  // Checked before any of the payload is buffered.
  const std::size_t so_far = continues ? message_.size() : 0;
  if (length > options_.max_message_bytes - so_far) {
    return fail(CloseCode::message_too_big, "message over the size limit");
  }

  if (!continues) {
    in_message_ = true;
    message_opcode_ = opcode_;
    message_.clear();
    utf8_.reset();
  }
  // A peer that announces a large frame and sends nothing gets no large buffer for it.
  message_.reserve(so_far + std::min<std::uint64_t>(length, kMaxEagerReserve));
  return {};
}

Decoded WebSocketCodec::read_data(std::string_view& input) {
  const std::size_t count =
      static_cast<std::size_t>(std::min<std::uint64_t>(frame_remaining_, input.size()));
  if (count > 0) {
    const std::size_t old_size = message_.size();
    message_.resize(old_size + count);
    char* to = message_.data() + old_size;
    if (masked_) {
      apply_mask(input.data(), to, count, mask_, frame_offset_ % mask_.size());
    } else {
      std::memcpy(to, input.data(), count);
    }
    input.remove_prefix(count);
    frame_remaining_ -= count;
    frame_offset_ += count;
    if (message_opcode_ == Opcode::text && !utf8_.feed({to, count})) {
      return fail(CloseCode::invalid_payload, "invalid UTF-8 in a text message");
    }
  }
  if (frame_remaining_ > 0) return {};

  stage_ = Stage::header;
  if (!fin_) return {};
  if (message_opcode_ == Opcode::text && !utf8_.complete()) {
    return fail(CloseCode::invalid_payload, "text message ends inside a code point");
  }
  in_message_ = false;
  Decoded event;
  event.kind = message_opcode_ == Opcode::text ? DecodedKind::text : DecodedKind::binary;
  event.payload = std::move(message_);
  message_.clear();
  return event;
}

Decoded WebSocketCodec::read_control(std::string_view& input) {
  const std::size_t count =
      static_cast<std::size_t>(std::min<std::uint64_t>(frame_remaining_, input.size()));
  const std::size_t old_size = control_.size();
  control_.append(input.data(), count);
  if (masked_) {
    apply_mask(control_.data() + old_size, control_.data() + old_size, count, mask_,
               frame_offset_ % mask_.size());
  }
  input.remove_prefix(count);
  frame_remaining_ -= count;
  frame_offset_ += count;
  if (frame_remaining_ > 0) return {};

  stage_ = Stage::header;
  return complete_control();
}

Decoded WebSocketCodec::complete_control() {
  Decoded event;
  if (opcode_ == Opcode::ping || opcode_ == Opcode::pong) {
    event.kind = opcode_ == Opcode::ping ? DecodedKind::ping : DecodedKind::pong;
    event.payload = std::move(control_);
    control_.clear();
    return event;
  }

  if (control_.size() == 1) return fail(CloseCode::protocol_error, "close payload of one byte");
  event.kind = DecodedKind::close;
  if (control_.size() >= kCloseCodeBytes) {
    const auto code = static_cast<std::uint16_t>(
        read_big_endian(reinterpret_cast<const std::uint8_t*>(control_.data()), kCloseCodeBytes));
    if (!is_valid_close_code(code)) return fail(CloseCode::protocol_error, "invalid close code");
    std::string_view reason = std::string_view(control_).substr(kCloseCodeBytes);
    if (!is_valid_utf8(reason)) {
      return fail(CloseCode::invalid_payload, "invalid UTF-8 in the close reason");
    }
    event.code = static_cast<CloseCode>(code);
    event.payload.assign(reason);
  }
  stage_ = Stage::finished;
  return event;
}

Decoded WebSocketCodec::fail(CloseCode code, std::string why) {
  stage_ = Stage::finished;
  Decoded event;
  event.kind = DecodedKind::failed;
  event.code = code;
  event.payload = std::move(why);
  return event;
}

OutgoingFrame WebSocketCodec::encode_frame(Opcode opcode, std::string payload, Fin fin) {
  OutgoingFrame frame;
  auto& h = frame.header;
  const std::uint64_t size = payload.size();
  const std::uint8_t mask_bit = options_.role == Role::client ? kMaskBit : 0;
  h[0] = static_cast<std::uint8_t>((fin == Fin::last ? kFinBit : 0) |
                                   static_cast<std::uint8_t>(opcode));
  std::size_t used = 2;
  if (size < kLength16) {
    h[1] = static_cast<std::uint8_t>(mask_bit | size);
  } else {
    const std::size_t length_bytes = size <= kMaxLength16 ? 2 : 8;
    h[1] = static_cast<std::uint8_t>(mask_bit | (length_bytes == 2 ? kLength16 : kLength64));
    for (std::size_t i = 0; i < length_bytes; ++i) {
      h[used + i] = static_cast<std::uint8_t>(size >> (8 * (length_bytes - 1 - i)));
    }
    used += length_bytes;
  }

  if (mask_bit) {
    const MaskKey key = next_mask_key();
    std::memcpy(&h[used], key.data(), key.size());
    used += key.size();
    apply_mask(payload.data(), payload.data(), payload.size(), key, 0);
  }
  frame.header_size = static_cast<std::uint8_t>(used);
  frame.payload = std::move(payload);
  return frame;
}

OutgoingFrame WebSocketCodec::encode_close(CloseCode code, std::string_view reason) {
  const auto value = static_cast<std::uint16_t>(code);
  std::string payload;
  if (is_valid_close_code(value)) {
    std::string_view fitted = fit_close_reason(reason);
    payload.reserve(kCloseCodeBytes + fitted.size());
    payload.push_back(static_cast<char>(value >> 8));
    payload.push_back(static_cast<char>(value & 0xFF));
    payload.append(fitted);
  }
  return encode_frame(Opcode::close, std::move(payload), Fin::last);
}

MaskKey WebSocketCodec::next_mask_key() {
  if (options_.mask_keys) return options_.mask_keys();
  MaskKey key;
  if (random_used_ + key.size() > random_.size()) {
    if (RAND_bytes(random_.data(), static_cast<int>(random_.size())) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    random_used_ = 0;
  }
  std::memcpy(key.data(), &random_[random_used_], key.size());
  random_used_ += key.size();
  return key;
}

}  // namespace messenger::transport
