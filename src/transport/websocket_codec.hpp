#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "messenger/transport.hpp"
#include "transport/utf8_validator.hpp"

namespace messenger::transport {

enum class Role { server, client };

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

/// RFC 6455, 5.5: control frames carry at most 125 bytes.
inline constexpr std::size_t kMaxControlPayload = 125;
/// 2 bytes, an 8-byte extended length and a 4-byte mask key.
inline constexpr std::size_t kMaxFrameHeader = 14;

using MaskKey = std::array<std::uint8_t, 4>;
/// Mask keys for a client codec. RFC 6455 asks for a strong entropy source so that a script
/// cannot predict the bytes on the wire; tests may pass a fixed key.
using MaskKeySource = std::function<MaskKey()>;

/// One encoded frame, kept as header plus payload so that a write can gather both without
/// copying the payload. A client's payload is masked in place.
struct OutgoingFrame {
  std::array<std::uint8_t, kMaxFrameHeader> header{};
  std::uint8_t header_size = 0;
  std::string payload;

  std::size_t size() const { return header_size + payload.size(); }
  std::string to_bytes() const;
};

/// Whether a frame ends its message (the FIN bit) or more fragments follow.
enum class Fin { last, more };

enum class DecodedKind { none, text, binary, ping, pong, close, failed };

/// What `decode` found. `none` means the input ran out before anything completed.
struct Decoded {
  DecodedKind kind = DecodedKind::none;
  /// The message, the ping or pong data, the close reason, or why decoding failed.
  std::string payload;
  /// close: the peer's code (`no_status` when it sent none); failed: the code to close with.
  CloseCode code = CloseCode::no_status;
};

struct CodecOptions {
  Role role = Role::server;
  /// Limit for one frame and for one reassembled message; more fails with `message_too_big`.
  std::size_t max_message_bytes = 1 << 20;
  MaskKeySource mask_keys;  ///< client only; empty means OpenSSL's RAND_bytes
};

/// RFC 6455 framing without I/O: bytes in, messages and control frames out, and frames to send.
/// A server expects masked frames and sends unmasked ones; a client does the reverse. The first
/// protocol error is final: `decode` reports it once with the close code to send, then ignores
/// all input. So does a received close frame. Not thread-safe; one codec per connection.
class WebSocketCodec {
 public:
  explicit WebSocketCodec(CodecOptions options);

  /// Consumes bytes from the front of `input` until one event completes (or the input runs
  /// out) and returns it; call again with the rest. Bytes may be split anywhere.
  Decoded decode(std::string_view& input);

  OutgoingFrame encode(Opcode opcode, std::string payload) {
    return encode_frame(opcode, std::move(payload), Fin::last);
  }
  /// Any frame, including fragments and continuations; for tests and the fuzzer.
  OutgoingFrame encode_frame(Opcode opcode, std::string payload, Fin fin);
  /// A close frame. Codes that must not be sent (1005, 1006) give an empty close payload; the
  /// reason is cut at a code point boundary to fit a control frame.
  OutgoingFrame encode_close(CloseCode code, std::string_view reason);

  /// True once a close frame was received or a protocol error was reported.
  bool finished() const { return stage_ == Stage::finished; }
  Role role() const { return options_.role; }

 private:
  enum class Stage { header, payload, finished };

  bool read_header(std::string_view& input);
  Decoded check_header();
  Decoded start_control_frame(std::uint64_t length);
  Decoded start_data_frame(std::uint64_t length);
  Decoded read_data(std::string_view& input);
  Decoded read_control(std::string_view& input);
  Decoded complete_control();
  Decoded fail(CloseCode code, std::string why);
  MaskKey next_mask_key();

  CodecOptions options_;
  Stage stage_ = Stage::header;
  std::array<std::uint8_t, 256> random_{};  // mask keys drawn from OpenSSL in batches
  std::size_t random_used_ = random_.size();

  // The frame being read.
  std::array<std::uint8_t, kMaxFrameHeader> header_{};
  std::size_t header_have_ = 0;
  std::size_t header_need_ = 2;
  bool fin_ = false;
  Opcode opcode_ = Opcode::continuation;
  MaskKey mask_{};
  bool masked_ = false;
  std::uint64_t frame_remaining_ = 0;
  std::uint64_t frame_offset_ = 0;  // payload bytes of this frame already read: the mask phase

  // The data message being reassembled, validated as its bytes arrive.
  bool in_message_ = false;
  Opcode message_opcode_ = Opcode::text;
  std::string message_;
  Utf8Validator utf8_;

  std::string control_;
};

/// XORs `size` bytes of `from` with the mask key into `to` (which may equal `from`), starting
/// at byte `offset` of the key's cycle.
void apply_mask(const char* from, char* to, std::size_t size, const MaskKey& key,
                std::size_t offset) noexcept;

/// Close codes a peer may send (RFC 6455 7.4 plus the registered and private ranges).
bool is_valid_close_code(std::uint16_t code) noexcept;

}  // namespace messenger::transport
