package dev.lightd.console;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    @Test
    void aFullBucketLetsTheBurstThroughThenTheRate() {
        AtomicLong now = new AtomicLong(1_000);
        TokenBucket bucket = new TokenBucket(now::get);
        int taken = 0;
        for (int i = 0; i < 100; i++) {
            if (bucket.tryTake(20, 40)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(40);
        now.addAndGet(500_000_000L); // half a second: 10 more
        taken = 0;
        for (int i = 0; i < 100; i++) {
            if (bucket.tryTake(20, 40)) {
                taken++;
            }
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void itNeverHoldsMoreThanTheBurst() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(now::get);
        bucket.tryTake(20, 40);
        now.addAndGet(3_600_000_000_000L);
        int taken = 0;
        while (bucket.tryTake(20, 40)) {
            taken++;
        }
        assertThat(taken).isEqualTo(40);
    }
}
