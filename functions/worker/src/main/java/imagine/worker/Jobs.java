package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.S3Documents.Versioned;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of job records and their lease. A run of a job (a worker's receive of its message, or the
 * dead-letter function giving it up) claims the job, acts alone while its lease lasts, renews the lease with every
 * step it records, and finishes the job: delivered, or ended with its unit given back and the user told once. The
 * lease runs out by itself when a run dies, and the next run takes the job over where the record says it stands.
 */
final class Jobs {
    /** Another run held the job: look again this long after its lease ends, not before. */
    private static final Duration AFTER_LEASE = Duration.ofMillis(500);

    private final S3Documents<JobRecord> records;
    private final S3Documents<RunningPrediction> running;
    private final QuotaRefunds refunds;
    private final Albums albums;
    private final Delivery delivery;
    private final Catalog catalog;
    private final Clock clock;
    private final WorkerTimings timings;

    Jobs(S3Documents<JobRecord> records, S3Documents<RunningPrediction> running, QuotaRefunds refunds, Albums albums,
         Delivery delivery, Catalog catalog, Clock clock, WorkerTimings timings) {
        this.records = records;
        this.running = running;
        this.refunds = refunds;
        this.albums = albums;
        this.delivery = delivery;
        this.catalog = catalog;
        this.clock = clock;
        this.timings = timings;
    }

    /** A prediction being made for a user's job, kept where /cancel finds it. */
    record RunningPrediction(String jobId, String predictionId) {
    }

    /** How a claim came out. */
    sealed interface Claim permits Taken, Duplicate, Finished, Busy {
    }

    /** This run holds the job. */
    record Taken(Lease lease) implements Claim {
    }

    /** Another message carries this job; this one is dropped. */
    record Duplicate() implements Claim {
    }

    /** Nothing more is owed for the job. */
    record Finished() implements Claim {
    }

    /** Another run holds the job's lease; look again after {@code retryIn}. */
    record Busy(Duration retryIn) implements Claim {
    }

    /**
     * Claims the job for a run carried by the message {@code carrier}: the first claim creates the record and names
     * the message its owner; a later one takes the job over when nobody holds its lease.
     */
    Claim claim(Job job, String carrier) {
        String attempt = UUID.randomUUID().toString();
        String key = StorageKeys.job(job.jobId());
        long now = clock.millis();
        // A message that carries the job on (a wait, a callback's wake-up) finds its record there: reading it first
        // spares a refused create.
        Optional<Versioned<JobRecord>> found = job.carrier() != null ? records.read(key) : Optional.empty();
        if (found.isEmpty()) {
            S3Documents.Written<JobRecord> created = records.createOrFind(key,
                    JobRecord.claimed(carrier, attempt, now, now + timings.lease().toMillis(), job));
            if (created.mine().isPresent()) {
                return new Taken(new Lease(job, attempt, created.mine().get()));
            }
            found = created.found();
        }
        Versioned<JobRecord> current = found
                .orElseThrow(() -> new RetryLater("job record vanished while claiming", Duration.ofSeconds(1)));
        JobRecord record = current.value();
        if (!carrier.equals(record.owner())) {
            return new Duplicate();
        }
        if (record.isFinished()) {
            return new Finished();
        }
        if (record.attempt() != null && record.leaseEnd() > now) {
            return new Busy(Duration.ofMillis(record.leaseEnd() - now).plus(AFTER_LEASE));
        }
        return records.replace(key, current, record.leasedTo(attempt, now, now + timings.lease().toMillis()))
                .<Claim>map(taken -> new Taken(new Lease(job, attempt, taken)))
                .orElseGet(() -> new Busy(AFTER_LEASE));
    }

    /**
     * A run's hold on a job and the job's record as the run last wrote it. Every step is a compare-and-swap on the
     * record that also renews the lease; a step that finds the record changed by someone else (the lease ran out and
     * another run took the job over) stops this run.
     */
    final class Lease {
        private final Job job;
        private final String attempt;
        private final String key;
        private Versioned<JobRecord> current;

        private Lease(Job job, String attempt, Versioned<JobRecord> current) {
            this.job = job;
            this.attempt = attempt;
            this.key = StorageKeys.job(job.jobId());
            this.current = current;
        }

        JobRecord record() {
            return current.value();
        }

        JobRecord.State state() {
            return current.value().state();
        }

        /** Renews the lease while the run waits. */
        void keep() {
            write(record(), timings.lease());
        }

        /** A create call is about to be made: from now on a prediction may exist that the record does not name. */
        void creating() {
            write(record().creatingSince(clock.millis()), timings.createLease());
        }

        /** The prediction is recorded, and kept where /cancel finds it. */
        void predicting(String predictionId) {
            write(record().predicting(predictionId), timings.lease());
            running.put(StorageKeys.running(job.userId(), job.jobId()),
                    new RunningPrediction(job.jobId(), predictionId));
        }

        void stored(String mediaKey, String mediaType) {
            write(record().stored(mediaKey, mediaType), timings.lease());
        }

        /** An idea's images are on the queue; {@code skipped} (null for none) is still to be told. */
        void fannedOut(String skipped) {
            write(record().fannedOut(skipped), timings.lease());
        }

        /** The user has the result. */
        void delivered() {
            forgetRunning();
            write(record().delivered().released(), Duration.ZERO);
        }

        /**
         * The job ends without a result. The ending is recorded first, so a run that dies after it does the same
         * again; then the unit goes back (once, however often this runs), an album stops waiting for the image, and
         * the user is told, once when all goes well.
         */
        void end(Ending ending) throws IOException {
            write(record().ended(ending), timings.lease());
            finishEnding();
        }

        /** The rest of an ending a run recorded before it died. */
        void finishEnding() throws IOException {
            Ending ending = record().endedAs();
            refunds.settle(job, ending);
            if (job.albumSize() > 1) {
                albums.leaveOut(job, catalog.get(job.model()));
            }
            forgetRunning();
            tellPending();
            write(record().released(), Duration.ZERO);
        }

        /**
         * Tells the user what the record says is still to be told, and records that it was. Each start of sending is
         * recorded first. A notice begun by an earlier run that died, or whose last write was lost, may or may not have
         * reached the user, so it is sent again, but only {@link JobRecord#MAX_NOTICE_SENDS} sends ever begin: the
         * user hears once when all goes well, twice at worst, never not at all because a run died while sending. A send
         * Telegram refuses or never answers does not count.
         */
        void tellPending() throws IOException {
            if (!record().noticePending()) {
                return;
            }
            if (record().mayBeginNotice()) {
                write(record().sendingNotice(), timings.lease());
                try {
                    delivery.tell(job, record().notice());
                } catch (Delivery.ChatUnreachable | Delivery.Undeliverable nobodyToTell) {
                    // Telegram will never take this message; the record says so and nobody waits for it.
                } catch (IOException | RuntimeException failed) {
                    write(record().noticeNotSent(), timings.lease());
                    throw failed;
                }
            }
            write(record().told(), timings.lease());
        }

        /** Lets the next run go on at once; the lease runs out by itself if this fails. */
        void release() {
            try {
                current = records.replace(key, current, record().released()).orElse(current);
            } catch (RuntimeException e) {
                // See above.
            }
        }

        private void forgetRunning() {
            if (record().predictionId() != null) {
                running.delete(StorageKeys.running(job.userId(), job.jobId()));
            }
        }

        private void write(JobRecord next, Duration lease) {
            long now = clock.millis();
            JobRecord leased = lease.isZero() ? next : next.leasedTo(attempt, now, now + lease.toMillis());
            current = records.replace(key, current, leased)
                    .orElseThrow(() -> new RetryLater("job " + job.jobId() + " was taken over by another run",
                            Duration.ofSeconds(1)));
        }
    }
}
