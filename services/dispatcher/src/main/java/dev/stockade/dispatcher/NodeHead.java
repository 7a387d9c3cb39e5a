package dev.stockade.dispatcher;

import java.nio.ByteBuffer;

/**
 * Where a node stands in the pool's shared state: its current {@code generation}; the generation of
 * its stored base rule set ({@code baseGeneration}; 0 with no base stored = the empty rule set); and
 * the oldest breadcrumb kept ({@code firstCrumb}; 0 = none). Crumbs {@code firstCrumb..generation} are
 * all stored, so an agent at h resumes with crumbs alone when {@code firstCrumb <= h + 1}.
 */
public record NodeHead(long generation, long baseGeneration, long firstCrumb) {

    private static final int FORMAT = 1;

    /** A node with nothing yet: generation 0, the empty rule set. */
    public static final NodeHead INITIAL = new NodeHead(0, 0, 0);

    /** Whether an agent at generation {@code h} can be brought to {@link #generation} with crumbs alone. */
    public boolean canResumeFrom(long h) {
        return h == generation || (h < generation && firstCrumb > 0 && firstCrumb <= h + 1);
    }

    /** Whether the crumb of generation g is kept. */
    public boolean hasCrumb(long g) {
        return firstCrumb > 0 && g >= firstCrumb && g <= generation;
    }

    /** Crumbs kept. */
    public long crumbCount() {
        return firstCrumb == 0 ? 0 : generation - firstCrumb + 1;
    }

    byte[] encode() {
        return ByteBuffer.allocate(28).putInt(FORMAT).putLong(generation).putLong(baseGeneration).putLong(firstCrumb).array();
    }

    static NodeHead decode(byte[] stored) {
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        if (buffer.getInt() != FORMAT) {
            throw new IllegalArgumentException("unknown node head format");
        }
        return new NodeHead(buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
