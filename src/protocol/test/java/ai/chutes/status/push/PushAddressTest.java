package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushAddressTest {

    private static PushAddress parse(String raw) {
        return PushAddress.parse(raw, () -> {
            throw new AssertionError("the local CID is only looked up for auto");
        });
    }

    @Test
    void explicitAddressesParse() {
        assertEquals(new PushAddress(PushAddress.Transport.VSOCK, null, 2, 1024, null), parse("vsock://2:1024"));
        assertEquals(new PushAddress(PushAddress.Transport.VSOCK, null, -1, 5000, null), parse("vsock://-1:5000"));
        assertEquals(new PushAddress(PushAddress.Transport.TCP, "10.0.2.2", 0, 9000, null), parse("tcp://10.0.2.2:9000"));
        assertEquals(new PushAddress(PushAddress.Transport.TCP, "::1", 0, 9000, null), parse("tcp://[::1]:9000"));
        assertEquals(new PushAddress(PushAddress.Transport.TCP, "collector.local", 0, 1, null), parse("TCP://collector.local:1"));
        assertEquals(new PushAddress(PushAddress.Transport.UNIX, null, 0, 0, Path.of("/run/collector.sock")), parse("unix:///run/collector.sock"));
        assertEquals("tcp://[::1]:9000", parse("tcp://[::1]:9000").toString());
        assertEquals("vsock://2:1024", parse(" vsock://2:1024 ").toString());
        assertEquals("unix:///run/x.sock", parse("unix:///run/x.sock").toString());
    }

    @Test
    void autoPicksVsockToTheHostOnlyWithAGuestCid() {
        PushAddress vsock = new PushAddress(PushAddress.Transport.VSOCK, null, 2, 1024, null);
        PushAddress tcp = new PushAddress(PushAddress.Transport.TCP, "127.0.0.1", 0, 1024, null);
        assertEquals(vsock, PushAddress.parse("auto", () -> OptionalInt.of(3)));
        assertEquals(vsock, PushAddress.parse("AUTO", () -> OptionalInt.of(1234)));
        assertEquals(tcp, PushAddress.parse("auto", () -> OptionalInt.of(2)), "CID 2 is the host itself");
        assertEquals(tcp, PushAddress.parse("auto", () -> OptionalInt.of(1)));
        assertEquals(tcp, PushAddress.parse("auto", OptionalInt::empty), "no /dev/vsock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2:1024", "http://host:1", "tcp://host", "tcp://host:0", "tcp://host:70000",
        "tcp://:80", "tcp://host:80/path", "vsock://2", "vsock://x:1024", "vsock://2:x", "vsock://-2:1024",
        "vsock://2:0", "vsock://2:1024/x", "unix://relative.sock", "unix://host/x.sock", "unix:", "vsock://:1024"})
    void malformedAddressesAreRefusedWithAReason(String raw) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> parse(raw));
        assertEquals(false, refused.getMessage().isBlank());
    }
}
