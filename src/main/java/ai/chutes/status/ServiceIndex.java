package ai.chutes.status;

import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The jar's list of Micronaut's service descriptors ({@code META-INF/micronaut/TYPE/CLASS}: bean
 * definitions, introspections), so that start-up need not look for them. Micronaut finds them by
 * opening the jar as a zip file system and walking that folder: it parses the central directory of all
 * ~11,000 entries, interpreted, on the path to the first answer. The build writes the list once
 * ({@link #main}, run by Maven before the jar is made; the shade step adds it as {@link #RESOURCE}), and
 * {@link Application} hands it to Micronaut as the static service loaders Micronaut AOT would generate:
 * every service type is then answered from this list and the standard {@code META-INF/services} files,
 * as the scan would answer it. So a jar put on the class path beside it adds no Micronaut bean (its
 * {@code META-INF/services} still count). Classes run from folders (the tests) have no list: Micronaut
 * scans. Public only for the build's exec step, which calls {@link #main}.
 */
public final class ServiceIndex {

    /** Where the jar holds the list: one "TYPE CLASS" line per descriptor. */
    static final String RESOURCE = "META-INF/system-status/micronaut-services.idx";

    private ServiceIndex() {
    }

    /**
     * Writes the list for the classes and jars {@code loader} sees, as Micronaut's own scan finds them.
     * Run by the build: {@code ServiceIndex FILE}.
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, lines(ServiceIndex.class.getClassLoader()), StandardCharsets.UTF_8);
    }

    static List<String> lines(ClassLoader loader) throws IOException {
        Set<String> lines = new TreeSet<>();
        MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(loader)
                .forEach((type, names) -> names.forEach(name -> lines.add(type + " " + name)));
        return List.copyOf(lines);
    }

    /** Installs the list {@code loader} holds, if it holds one (else Micronaut scans); before Micronaut starts. */
    static void install(ClassLoader loader) {
        Map<String, List<String>> byType = read(loader);
        if (byType != null) {
            StaticOptimizations.set(new SoftServiceLoader.Optimizations(new Loaders(byType, loader)));
        }
    }

    static Map<String, List<String>> read(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            Map<String, List<String>> byType = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    byType.computeIfAbsent(line.substring(0, space), type -> new ArrayList<>()).add(line.substring(space + 1));
                }
            }
            return byType;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * A loader for every service type Micronaut asks for (it asks this map before it would scan): the
     * classes the standard {@code META-INF/services} files name, then those of the list, as the scan
     * orders them.
     */
    static final class Loaders extends AbstractMap<String, SoftServiceLoader.StaticServiceLoader<?>> {

        private final Map<String, List<String>> listed;
        private final ClassLoader loader;
        private final Map<String, SoftServiceLoader.StaticServiceLoader<?>> made = new ConcurrentHashMap<>();

        Loaders(Map<String, List<String>> listed, ClassLoader loader) {
            this.listed = listed;
            this.loader = loader;
        }

        @Override
        public boolean containsKey(Object type) {
            return type instanceof String;
        }

        @Override
        public SoftServiceLoader.StaticServiceLoader<?> get(Object type) {
            return type instanceof String name ? made.computeIfAbsent(name, this::loaderOf) : null;
        }

        @Override
        public Set<Entry<String, SoftServiceLoader.StaticServiceLoader<?>>> entrySet() {
            return made.entrySet();
        }

        private SoftServiceLoader.StaticServiceLoader<Object> loaderOf(String type) {
            Set<String> names = new LinkedHashSet<>(standardServices(type));
            names.addAll(listed.getOrDefault(type, List.of()));
            return new Services(List.copyOf(names));
        }

        private List<String> standardServices(String type) {
            List<String> names = new ArrayList<>();
            try {
                Enumeration<URL> files = loader.getResources("META-INF/services/" + type);
                while (files.hasMoreElements()) {
                    try (InputStream in = files.nextElement().openStream()) {
                        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                        for (String line; (line = reader.readLine()) != null; ) {
                            int comment = line.indexOf('#');
                            String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                            if (!name.isEmpty()) {
                                names.add(name);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the services of " + type, e);
            }
            return names;
        }

        /** One type's services; a class that cannot be loaded or made is left out, as the scan leaves it. */
        private final class Services implements SoftServiceLoader.StaticServiceLoader<Object> {

            private final List<String> names;

            Services(List<String> names) {
                this.names = names;
            }

            @Override
            public Stream<SoftServiceLoader.StaticDefinition<Object>> findAll(Predicate<String> condition) {
                return names.stream().filter(condition).filter(this::loads)
                        .map(name -> SoftServiceLoader.StaticDefinition.of(name, () -> make(name)));
            }

            @Override
            public List<Object> load(Predicate<String> condition, Predicate<Object> predicate) {
                // One by one on this thread, as Micronaut's scan makes them on 2 cores (a parallel stream
                // cost ~100 ms of CPU more for the same first answer).
                return names.stream().filter(condition).map(this::make).filter(Objects::nonNull)
                        .filter(service -> predicate == null || predicate.test(service)).toList();
            }

            private boolean loads(String name) {
                try {
                    Class.forName(name, false, loader);
                    return true;
                } catch (ClassNotFoundException | LinkageError e) {
                    return false;
                }
            }

            private Object make(String name) {
                try {
                    Class<?> type = Class.forName(name, false, loader);
                    return MethodHandles.publicLookup().findConstructor(type, MethodType.methodType(void.class)).invoke();
                } catch (NoClassDefFoundError | ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
                    return null;
                } catch (Throwable e) {
                    throw new IllegalStateException("cannot make the service " + name, e);
                }
            }
        }
    }
}
