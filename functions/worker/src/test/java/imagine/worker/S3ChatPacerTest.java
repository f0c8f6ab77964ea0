package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class S3ChatPacerTest {
    private static S3Stub s3;
    private final List<Long> waits = new CopyOnWriteArrayList<>();
    private final Clock frozen = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3Stub();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    /** Records the long waits (slots) and ignores the short pauses between lost races. */
    private S3ChatPacer pacer() {
        return new S3ChatPacer(s3.client(), S3Stub.BUCKET, frozen, millis -> {
            if (millis >= 100) {
                waits.add(millis);
            }
        });
    }

    @Test
    void workersSendingToOneChatAtOnceGetSlotsASecondApart() {
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            senders.add(CompletableFuture.runAsync(() -> {
                try {
                    pacer().awaitTurn(4242);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        senders.forEach(CompletableFuture::join);

        // One sends at once, the others wait for distinct slots at least an interval apart. (A write whose
        // answer was lost can leave a slot unused; that only delays, it never crowds the chat.)
        long step = S3ChatPacer.PRIVATE_INTERVAL.toMillis();
        List<Long> slots = waits.stream().sorted().toList();
        assertThat(slots).as("every sender but at most the first waits").hasSizeBetween(5, 6);
        assertThat(slots.get(0)).isGreaterThanOrEqualTo(step);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i) - slots.get(i - 1)).isGreaterThanOrEqualTo(step);
        }
    }

    @Test
    void groupsAreSpacedWiderAndChatsDoNotWaitForEachOther() throws Exception {
        pacer().awaitTurn(-100777);
        pacer().awaitTurn(-100777);
        pacer().awaitTurn(5151);

        assertThat(waits).containsExactly(S3ChatPacer.GROUP_INTERVAL.toMillis());
    }

    @Test
    void aTurnTooFarAwayGoesBackToTheQueue() {
        assertThatThrownBy(() -> {
            for (int i = 0; i < 40; i++) {
                pacer().awaitTurn(777);
            }
        }).isInstanceOf(RetryLater.class);

        assertThat(waits).hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(S3ChatPacer.MAX_WAIT.toMillis()));
    }
}
