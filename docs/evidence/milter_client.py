"""A minimal milter client (Sendmail milter protocol 6), just enough to make OpenDKIM sign
one message: negotiate, connect from 127.0.0.1, MAIL, RCPT, headers, body, end of message.
Prints each header the filter adds, and the filter's final answer. For docs/dkim.md only."""
import socket
import struct
import sys

NO_SEND = {b"C": 0x1, b"H": 0x2, b"M": 0x4, b"R": 0x8, b"B": 0x10, b"L": 0x20, b"N": 0x40}
NO_REPLY = {b"C": 0x1000, b"H": 0x2000, b"M": 0x4000, b"R": 0x8000, b"L": 0x80, b"N": 0x40000, b"B": 0x80000}
FINAL = (b"c", b"a", b"r", b"t", b"d", b"y")


def packet(command, data=b""):
    return struct.pack("!I", len(data) + 1) + command + data


def receive(sock):
    header = b""
    while len(header) < 4:
        header += sock.recv(4 - len(header))
    length = struct.unpack("!I", header)[0]
    data = b""
    while len(data) < length:
        data += sock.recv(length - len(data))
    return data[:1], data[1:]


def main(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(packet(b"O", struct.pack("!III", 6, 0x1FF, 0)))
    _, data = receive(sock)
    protocol = struct.unpack("!III", data[:12])[2]

    def step(command, data):
        if protocol & NO_SEND.get(command, 0):
            return
        sock.sendall(packet(command, data))
        if protocol & NO_REPLY.get(command, 0) and command != b"E":
            return
        while True:
            reply, data = receive(sock)
            if reply in FINAL:
                if command == b"E" or reply != b"c":
                    print("answer", reply.decode(), data.replace(b"\0", b"").decode())
                return
            fields = (data[4:] if reply == b"i" else data).split(b"\0")  # 'i' (insert header) starts with a 4-byte index
            print("adds", fields[0].decode(), fields[1].decode().replace("\r\n\t", " ").replace("\n\t", " "))

    step(b"C", b"localhost\0" + b"4" + struct.pack("!H", 12345) + b"127.0.0.1\0")
    step(b"H", b"localhost\0")
    sock.sendall(packet(b"D", b"M" + b"i\0EVIDENCE\0"))
    step(b"M", b"<a@example.com>\0")
    step(b"R", b"<b@example.net>\0")
    for name, value in [(b"From", b"a@example.com"), (b"To", b"b@example.net"), (b"Subject", b"test"),
                        (b"Date", b"Sat, 28 Nov 2026 07:00:00 +0000"), (b"Message-ID", b"<1@example.com>")]:
        step(b"L", name + b"\0" + value + b"\0")
    step(b"N", b"")
    step(b"B", b"Hello\r\n")
    step(b"E", b"")


if __name__ == "__main__":
    main(int(sys.argv[1]))
