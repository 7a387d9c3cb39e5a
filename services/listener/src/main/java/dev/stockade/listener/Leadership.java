package dev.stockade.listener;

/**
 * Decides whether this replica publishes. Only the leader writes to the resources topic; on
 * becoming leader it reconciles the topic with the cluster first.
 */
public interface Leadership extends AutoCloseable {

    /** Callbacks of a leadership; both are called from the leadership's own thread and must be quick. */
    interface Callbacks {
        void startedLeading();

        void stoppedLeading();
    }

    /** Starts taking part; calls {@code callbacks} whenever leadership is gained or lost. */
    void start(Callbacks callbacks);

    /** Stops taking part, giving up leadership if held. */
    @Override
    void close();

    /**
     * This replica found itself fenced (another one began a newer term): give up leading now and,
     * where there is an election, enter it again as a candidate.
     */
    void resign();

    /** The only replica (directory mode, tests): leads from start to close. */
    static Leadership sole() {
        return new Leadership() {
            private Callbacks callbacks;

            @Override
            public void start(Callbacks callbacks) {
                this.callbacks = callbacks;
                callbacks.startedLeading();
            }

            @Override
            public void close() {
                if (callbacks != null) {
                    callbacks.stoppedLeading();
                }
            }

            /** The only replica was fenced: another listener runs with the same id; this one stops publishing. */
            @Override
            public void resign() {
                if (callbacks != null) {
                    callbacks.stoppedLeading();
                }
            }
        };
    }
}
