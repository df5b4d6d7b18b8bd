package dev.tortie.shell.session;

import dev.tortie.engine.compile.ClusterIndex;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/** A {@link ClusterIndex} guarded by a read/write lock: many commands read, watch updates write. */
public final class LockedIndex {
    private final ClusterIndex index;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public LockedIndex(ClusterIndex index) {
        this.index = index;
    }

    public <T> T read(Function<ClusterIndex, T> query) {
        lock.readLock().lock();
        try {
            return query.apply(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    public <T> T write(Function<ClusterIndex, T> update) {
        lock.writeLock().lock();
        try {
            return update.apply(index);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
