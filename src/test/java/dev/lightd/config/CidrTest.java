package dev.lightd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The address blocks of mcctl.auth.ip_whitelist and trusted_proxies. */
class CidrTest {

    @Test
    void aBareAddressIsABlockOfOne() {
        Cidr one = Cidr.parse("192.168.1.10");
        assertThat(one.prefix()).isEqualTo(32);
        assertThat(one.contains("192.168.1.10")).isTrue();
        assertThat(one.contains("192.168.1.11")).isFalse();
        assertThat(one.contains("192.168.1.9")).isFalse();

        Cidr loopback6 = Cidr.parse("::1");
        assertThat(loopback6.prefix()).isEqualTo(128);
        assertThat(loopback6.contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(loopback6.contains("::2")).isFalse();
    }

    @Test
    void aByteAlignedBlockHoldsItsRangeAndNothingNextToIt() {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains("10.0.0.0")).isTrue();
        assertThat(ten.contains("10.1.2.3")).isTrue();
        assertThat(ten.contains("10.255.255.255")).isTrue();
        assertThat(ten.contains("9.255.255.255")).isFalse();
        assertThat(ten.contains("11.0.0.0")).isFalse();
        assertThat(ten.contains("110.0.0.1")).isFalse();
    }

    @Test
    void aBlockNotOnAByteBoundaryCutsInsideTheByte() {
        Cidr block = Cidr.parse("192.168.1.64/26"); // .64 to .127
        assertThat(block.contains("192.168.1.64")).isTrue();
        assertThat(block.contains("192.168.1.100")).isTrue();
        assertThat(block.contains("192.168.1.127")).isTrue();
        assertThat(block.contains("192.168.1.63")).isFalse();
        assertThat(block.contains("192.168.1.128")).isFalse();

        Cidr private172 = Cidr.parse("172.16.0.0/12"); // 172.16.0.0 to 172.31.255.255
        assertThat(private172.contains("172.31.255.255")).isTrue();
        assertThat(private172.contains("172.32.0.0")).isFalse();
        assertThat(private172.contains("172.15.255.255")).isFalse();
    }

    @Test
    void hostBitsInTheWrittenNetworkDoNotMatter() {
        Cidr sloppy = Cidr.parse("10.1.2.3/8");
        assertThat(sloppy.contains("10.200.0.1")).isTrue();
        assertThat(sloppy.contains("11.1.2.3")).isFalse();
    }

    @Test
    void slashZeroHoldsEveryAddressOfItsFamilyOnly() {
        Cidr any4 = Cidr.parse("0.0.0.0/0");
        assertThat(any4.contains("8.8.8.8")).isTrue();
        assertThat(any4.contains("255.255.255.255")).isTrue();
        assertThat(any4.contains("2001:db8::1")).isFalse();

        Cidr any6 = Cidr.parse("::/0");
        assertThat(any6.contains("2001:db8::1")).isTrue();
        assertThat(any6.contains("8.8.8.8")).isFalse();
    }

    @Test
    void ipv6Blocks() {
        Cidr doc = Cidr.parse("2001:db8::/32");
        assertThat(doc.contains("2001:db8::1")).isTrue();
        assertThat(doc.contains("2001:db8:ffff:ffff::1")).isTrue();
        assertThat(doc.contains("2001:db9::1")).isFalse();
        assertThat(doc.contains("10.0.0.1")).isFalse();

        Cidr odd = Cidr.parse("fe80::/10"); // fe80:: to febf:ffff:...
        assertThat(odd.contains("febf::1")).isTrue();
        assertThat(odd.contains("fec0::1")).isFalse();
    }

    @Test
    void anIpv4MappedIpv6AddressCountsAsItsIpv4Address() {
        // a dual-stack listener reports IPv4 clients this way
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains("::ffff:10.1.2.3")).isTrue();
        assertThat(ten.contains("::ffff:11.1.2.3")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "", "10.0.0.0/8", "10.0.0.256", "not an address", "1.2.3.4 "})
    void somethingThatIsNotAnAddressIsNeverContainedAndNeverLookedUp(String address) {
        assertThat(Cidr.parse("0.0.0.0/0").contains(address)).isFalse();
        assertThat(Cidr.parse("::/0").contains(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "192.168.1.7", "::1", "2001:db8::/32", " 10.0.0.0 / 8 ", "0.0.0.0/0",
            "::/128"})
    void validEntries(String entry) {
        assertThat(Cidr.isValid(entry)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::1/129", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0.0/", "10.0.0.256",
            "abc", "", "localhost", "10.0.0.0/8/8", "2001:db8::g/32"})
    void invalidEntriesAreNamedInvalidAndParseRefusesThem(String entry) {
        assertThat(Cidr.isValid(entry)).isFalse();
        assertThatThrownBy(() -> Cidr.parse(entry)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortenedIpv4FormsAreRefusedBecauseTheyWouldCoverTheWrongRange() {
        assertThat(Cidr.isValid("10/8")).isFalse();
        assertThat(Cidr.isValid("10.1")).isFalse();
        assertThat(Cidr.isValid("10.0.0.0/8")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
    }
}
