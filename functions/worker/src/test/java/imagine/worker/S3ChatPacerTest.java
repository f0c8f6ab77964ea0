package imagine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class S3ChatPacerTest {
    private static S3Stub s3;
    private final Clock frozen = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    private final long now = frozen.millis();

    @BeforeAll
    static void start() {
        s3 = new S3Stub();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private S3ChatPacer pacer() {
        return new S3ChatPacer(s3.client(), S3Stub.BUCKET,
                new TelegramSendSlots(s3.client(), S3Stub.BUCKET, TelegramSendSlots.DEFAULT_PER_SECOND, frozen), frozen,
                millis -> { });
    }

    private long reserve(long chatId) {
        try {
            return pacer().reserve(chatId, 1);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void workersSendingToOneChatAtOnceGetSlotsASecondApart() {
        List<CompletableFuture<Long>> senders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            senders.add(CompletableFuture.supplyAsync(() -> reserve(4242)));
        }
        List<Long> slots = senders.stream().map(CompletableFuture::join).sorted().toList();

        long step = S3ChatPacer.PRIVATE_INTERVAL.toMillis();
        assertThat(slots.get(0) - now).as("the first goes about at once").isLessThan(step);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i) - slots.get(i - 1)).isGreaterThanOrEqualTo(step);
        }
    }

    @Test
    void groupsAreSpacedWiderAndChatsDoNotWaitForEachOther() {
        long first = reserve(-100777);
        long second = reserve(-100777);
        long other = reserve(5151);

        assertThat(second - first).isGreaterThanOrEqualTo(S3ChatPacer.GROUP_INTERVAL.toMillis());
        assertThat(other - now).isLessThan(S3ChatPacer.PRIVATE_INTERVAL.toMillis());
    }

    @Test
    void aTurnTooFarAwayGoesBackToTheQueue() {
        List<Long> slots = new ArrayList<>();

        assertThatThrownBy(() -> {
            for (int i = 0; i < 40; i++) {
                slots.add(reserve(777));
            }
        }).isInstanceOf(RetryLater.class);

        assertThat(slots).hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(slot -> assertThat(slot - now).isLessThanOrEqualTo(S3ChatPacer.MAX_WAIT.toMillis()));
    }
}
