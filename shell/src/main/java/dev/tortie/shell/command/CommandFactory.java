package dev.tortie.shell.command;

import dev.tortie.shell.session.Session;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Makes command objects with the session injected (constructor taking a Session), else falls back to picocli's. */
public final class CommandFactory implements CommandLine.IFactory {
    private final Session session;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    public CommandFactory(Session session) {
        this.session = session;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            Constructor<K> withSession = cls.getDeclaredConstructor(Session.class);
            return withSession.newInstance(session);
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
    }
}
