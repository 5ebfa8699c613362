package dev.lightd.supervisor;

import dev.lightd.ServiceException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.function.IntFunction;

class PowerQueueTest {

    private final PowerQueue queue = new PowerQueue("power-test");
    private final List<CountDownLatch> gates = Collections.synchronizedList(new ArrayList<>());

    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5));
    }

    @AfterEach
    void openAllGates() {
        gates.forEach(CountDownLatch::countDown);
    }

    /** An action that signals when it runs and then waits until the test lets it go on. */
    private final class Blocker implements Runnable {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();
        volatile Thread thread;

        Blocker() {
            gates.add(release);
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            runs.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(5, TimeUnit.SECONDS)).as("action started").isTrue();
        }
    }

    private static ServiceException.Kind failureKind(CompletableFuture<Void> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(ServiceException.class);
            return ((ServiceException) e.getCause()).kind();
        }
    }

    @Test
    void anActionRunsOnANamedVirtualThread() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        queue.submit("start", () -> ran.set(Thread.currentThread())).get(5, TimeUnit.SECONDS);

        assertThat(ran.get().isVirtual()).isTrue();
        assertThat(ran.get().getName()).isEqualTo("power-test");
    }

    @Test
    void aRequestWhileBusyWaitsAndRunsAfterTheRunningOneOnTheSameThread() throws Exception {
        Blocker first = new Blocker();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean overlapped = new AtomicBoolean();
        AtomicReference<Thread> secondThread = new AtomicReference<>();

        CompletableFuture<Void> a = queue.submit("stop", () -> {
            order.add("a-start");
            first.run();
            order.add("a-end");
        });
        first.awaitStarted();
        CompletableFuture<Void> b = queue.submit("start", () -> {
            overlapped.set(first.release.getCount() > 0);
            secondThread.set(Thread.currentThread());
            order.add("b");
        });

        assertThat(b).isNotDone();
        assertThat(order).containsExactly("a-start");
        first.release.countDown();
        b.get(5, TimeUnit.SECONDS);

        assertThat(a).isCompleted();
        assertThat(order).containsExactly("a-start", "a-end", "b");
        assertThat(overlapped).isFalse();
        assertThat(secondThread.get()).isSameAs(first.thread);
    }

    @Test
    void theSameKindJoinsThePendingRequest() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger restarts = new AtomicInteger();
        queue.submit("restart", first);
        first.awaitStarted();

        CompletableFuture<Void> r1 = queue.submit("restart", restarts::incrementAndGet);
        CompletableFuture<Void> r2 = queue.submit("restart", restarts::incrementAndGet);
        CompletableFuture<Void> r3 = queue.submit("restart", restarts::incrementAndGet);

        assertThat(r2).isSameAs(r1);
        assertThat(r3).isSameAs(r1);
        first.release.countDown();
        r1.get(5, TimeUnit.SECONDS);
        assertThat(restarts).hasValue(1);
        assertThat(first.runs).hasValue(1);
    }

    @Test
    void anotherKindSupersedesThePendingRequest() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        CompletableFuture<Void> running = queue.submit("restart", first);
        first.awaitStarted();

        CompletableFuture<Void> start = queue.submit("start", starts::incrementAndGet);
        CompletableFuture<Void> stop = queue.submit("stop", stops::incrementAndGet);

        assertThat(failureKind(start)).isEqualTo(ServiceException.Kind.CONFLICT);
        assertThatThrownBy(start::join).hasMessageContaining("Power action 'start' superseded by a later stop request");
        assertThat(stop).isNotDone();
        assertThat(running).isNotDone();

        first.release.countDown();
        stop.get(5, TimeUnit.SECONDS);
        assertThat(stops).hasValue(1);
        assertThat(starts).hasValue(0);
    }

    @Test
    void dropPendingFailsTheWaitingRequestAndLeavesTheRunningOne() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger starts = new AtomicInteger();
        CompletableFuture<Void> running = queue.submit("stop", first);
        first.awaitStarted();
        CompletableFuture<Void> start = queue.submit("start", starts::incrementAndGet);

        queue.dropPending("a kill");

        assertThat(failureKind(start)).isEqualTo(ServiceException.Kind.CONFLICT);
        assertThatThrownBy(start::join).hasMessageContaining("Power action 'start' superseded by a kill");
        first.release.countDown();
        running.get(5, TimeUnit.SECONDS);
        // the slot is free again: a later request runs
        queue.submit("start", starts::incrementAndGet).get(5, TimeUnit.SECONDS);
        assertThat(starts).hasValue(1);
    }

    @Test
    void dropPendingWithNothingWaitingIsANoOp() throws Exception {
        queue.dropPending("a kill");
        AtomicInteger runs = new AtomicInteger();
        queue.submit("start", runs::incrementAndGet).get(5, TimeUnit.SECONDS);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aFailingActionFailsItsFutureAndTheNextOneStillRuns() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> failing = queue.submit("start", () -> {
            first.run();
            throw new IllegalStateException("world locked");
        });
        first.awaitStarted();
        CompletableFuture<Void> next = queue.submit("stop", runs::incrementAndGet);
        first.release.countDown();

        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("world locked");
        next.get(5, TimeUnit.SECONDS);
        assertThat(runs).hasValue(1);
    }

    @Test
    void closeRefusesLaterRequestsDropsTheWaitingOneAndWaitsForTheRunningOne() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> running = queue.submit("stop", first);
        first.awaitStarted();
        CompletableFuture<Void> waiting = queue.submit("start", runs::incrementAndGet);

        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.close("server deleted", 5_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        await().until(waiting::isDone);
        assertThat(failureKind(waiting)).isEqualTo(ServiceException.Kind.CONFLICT);
        assertThatThrownBy(waiting::join).hasMessageContaining("superseded by server deleted");
        CompletableFuture<Void> refused = queue.submit("restart", runs::incrementAndGet);
        assertThat(failureKind(refused)).isEqualTo(ServiceException.Kind.CONFLICT);
        assertThatThrownBy(refused::join).hasMessageContaining("server deleted");
        assertThat(closed).as("close waits for the running action").isNotDone();

        first.release.countDown();
        assertThat(closed.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(running).isCompleted();
        assertThat(runs).hasValue(0);
    }

    @Test
    void closeGivesUpAfterTheTimeoutWhileAnActionStillRuns() throws Exception {
        Blocker first = new Blocker();
        queue.submit("stop", first);
        first.awaitStarted();

        long t0 = System.nanoTime();
        assertThat(queue.close("server deleted", 20)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(15));
        first.release.countDown();
        assertThat(queue.close("server deleted", 5_000)).isTrue();
    }

    @Test
    void closeWithNothingRunningReturnsAtOnce() throws Exception {
        assertThat(queue.close("server deleted", 5_000)).isTrue();
        assertThat(failureKind(queue.submit("start", () -> { }))).isEqualTo(ServiceException.Kind.CONFLICT);
    }

    @Test
    void twoHundredConcurrentRestartsWhileOneRunsCostOneMoreRun() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger restarts = new AtomicInteger();
        queue.submit("restart", first);
        first.awaitStarted();

        List<CompletableFuture<Void>> futures = submitConcurrently(200, i -> "restart", restarts);

        first.release.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(restarts).hasValue(1);
        assertThat(distinct(futures)).hasSize(1);
        assertThat(first.runs).hasValue(1);
    }

    @Test
    void twoHundredConcurrentMixedRequestsWhileOneRunsCostOneMoreRunAndTheRestAreSuperseded() throws Exception {
        Blocker first = new Blocker();
        AtomicInteger runs = new AtomicInteger();
        queue.submit("restart", first);
        first.awaitStarted();

        String[] kinds = {"start", "stop", "restart"};
        List<CompletableFuture<Void>> futures = submitConcurrently(200, i -> kinds[i % kinds.length], runs);

        first.release.countDown();
        await().until(() -> futures.stream().allMatch(CompletableFuture::isDone));
        Set<CompletableFuture<Void>> succeeded = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CompletableFuture<Void> f : futures) {
            if (f.isCompletedExceptionally()) {
                assertThat(failureKind(f)).isEqualTo(ServiceException.Kind.CONFLICT);
            } else {
                succeeded.add(f);
            }
        }
        assertThat(succeeded).as("the one request left in the slot").hasSize(1);
        assertThat(runs).hasValue(1);
    }

    private List<CompletableFuture<Void>> submitConcurrently(int n, IntFunction<String> kind,
                                                             AtomicInteger runs) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    go.await();
                    futures.add(queue.submit(kind.apply(k), runs::incrementAndGet));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        go.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(futures).hasSize(n);
        return new ArrayList<>(futures);
    }

    private static Set<CompletableFuture<Void>> distinct(List<CompletableFuture<Void>> futures) {
        Set<CompletableFuture<Void>> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(futures);
        return set;
    }
}
