package dev.tortie.shell.repl;

import java.io.IOException;
import java.io.Writer;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The terminal writer the REPL session prints through. Writes from a command thread abandoned after Ctrl-C are
 * dropped, so a command that ignores its interrupt cannot scribble over the next prompt.
 */
final class MutableOutput extends Writer {
    private final Writer target;
    private final Set<Thread> muted = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    MutableOutput(Writer target) {
        this.target = target;
    }

    void mute(Thread thread) {
        muted.add(thread);
    }

    private boolean silent() {
        return muted.contains(Thread.currentThread());
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        if (!silent()) {
            target.write(buf, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (!silent()) {
            target.flush();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
