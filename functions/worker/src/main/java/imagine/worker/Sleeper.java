package imagine.worker;

/** Pauses the calling thread; tests pass one that records instead of sleeping. */
interface Sleeper {
    void sleep(long millis) throws InterruptedException;
}
