package amdvfio.bindings;

import amdvfio.os.Errno;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the Java bindings claim about the C ABI, found by reflection so that nothing can be
 * left out: every struct class (a class with a static {@code layout()}), its {@code sizeof()},
 * every named field's {@code f$offset()}, every constant method of the header classes
 * ({@code libc_h}, {@code vfio_h}) and every {@link Errno}.
 */
final class BindingFacts {

    static final List<String> PACKAGES = List.of("amdvfio.bindings.libc", "amdvfio.bindings.vfio");

    private final Map<String, Long> claims = new LinkedHashMap<>();
    private final List<String> structs = new ArrayList<>();
    private final List<String> fields = new ArrayList<>();
    private final List<String> constants = new ArrayList<>();
    private final Map<String, String> tags = new LinkedHashMap<>();

    /**
     * The facts of one generated header class: the named constants (those absent from it are
     * left out here; the caller reports them) and the given layout classes (structs and unions).
     */
    static BindingFacts of(Class<?> header, List<String> constantNames, List<Class<?>> layouts)
            throws ReflectiveOperationException {
        BindingFacts facts = new BindingFacts();
        for (String name : constantNames) {
            Method m;
            try {
                m = header.getMethod(name);
            } catch (NoSuchMethodException absent) {
                continue;
            }
            facts.addConstant(m);
        }
        for (Class<?> s : layouts) {
            facts.addStruct(s);
        }
        return facts;
    }

    /**
     * Claims about C expressions the header defines as data rather than macros (an initialised
     * table's element, {@code GC_BASE.instance[0].segment[1]}): expression → the value Java holds.
     */
    static BindingFacts expressions(Map<String, Long> claims) {
        BindingFacts facts = new BindingFacts();
        claims.forEach((expr, value) -> {
            facts.put("const " + expr, value);
            facts.constants.add(expr);
        });
        return facts;
    }

    static BindingFacts scan() throws IOException, ReflectiveOperationException, URISyntaxException {
        BindingFacts facts = new BindingFacts();
        for (String pkg : PACKAGES) {
            for (Class<?> c : classesIn(pkg)) {
                if (c.getSimpleName().endsWith("_h")) {
                    facts.addConstants(c);
                } else {
                    facts.addStruct(c);
                }
            }
        }
        for (Errno e : Errno.values()) {
            facts.put("const " + e.name(), e.number());
            facts.constants.add(e.name());
        }
        return facts;
    }

    private static List<Class<?>> classesIn(String pkg) throws IOException, ClassNotFoundException, URISyntaxException {
        Path dir = Path.of(BindingFacts.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().resolve("classes").resolve(pkg.replace('.', '/'));
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    classes.add(Class.forName(pkg + "." + name.substring(0, name.length() - 6)));
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no binding classes found in " + dir);
        }
        return classes;
    }

    private void addConstants(Class<?> header) throws ReflectiveOperationException {
        // getMethods(): jextract splits a large header class into a chain of superclasses
        for (Method m : header.getMethods()) {
            boolean constant = Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0 && (m.getReturnType() == int.class || m.getReturnType() == long.class)
                    && Character.isUpperCase(m.getName().charAt(m.getName().charAt(0) == '_' ? 1 : 0));
            if (constant) {
                addConstant(m);
            }
        }
    }

    private void addConstant(Method m) throws ReflectiveOperationException {
        m.setAccessible(true); // declared in a package-private superclass where jextract split the class
        Object v = m.invoke(null);
        // An int constant stands for C's bit pattern: EPOLLET is (1u << 31), not -2^31.
        put("const " + m.getName(), v instanceof Integer i ? Integer.toUnsignedLong(i) : (Long) v);
        constants.add(m.getName());
    }

    private void addStruct(Class<?> struct) throws ReflectiveOperationException {
        String name = struct.getSimpleName();
        GroupLayout layout = (GroupLayout) struct.getMethod("layout").invoke(null);
        put("sizeof " + name, (Long) struct.getMethod("sizeof").invoke(null));
        structs.add(name);
        tags.put(name, layout instanceof java.lang.foreign.UnionLayout ? "union" : "struct");
        addFields(struct, name, layout, -1);
    }

    /**
     * Named members, and those of anonymous nested structs/unions, which C reaches by their own
     * names; {@code nestedAt} is the anonymous member's offset, or -1 at the top level.
     */
    private void addFields(Class<?> struct, String name, GroupLayout layout, long nestedAt) throws ReflectiveOperationException {
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member.name().isEmpty()) {
                continue; // padding
            }
            String field = member.name().get();
            if (field.startsWith("$anon$") && member instanceof GroupLayout nested) {
                addFields(struct, name, nested, Math.max(nestedAt, 0) + layout.byteOffset(MemoryLayout.PathElement.groupElement(field)));
                continue;
            }
            if (nestedAt >= 0) {
                long inner = nestedAt + layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
                put("offsetof " + name + "." + field, inner);
                fields.add(name + "." + field);
                continue;
            }
            long declared = (Long) struct.getMethod(field + "$offset").invoke(null);
            long fromLayout = layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
            if (declared != fromLayout) {
                throw new IllegalStateException(name + "." + field + "$offset() says " + declared
                        + " but its layout() places it at " + fromLayout);
            }
            put("offsetof " + name + "." + field, declared);
            fields.add(name + "." + field);
        }
    }

    void put(String key, long value) {
        claims.put(key, value);
    }

    Map<String, Long> claims() {
        return claims;
    }

    List<String> structs() {
        return structs;
    }

    List<String> fields() {
        return fields;
    }

    List<String> constants() {
        return constants;
    }

    /** "struct" or "union": how C names the layout class {@code name}. */
    String tag(String name) {
        return tags.getOrDefault(name, "struct");
    }

    /** Lines "key: Java says X, C says Y" for every disagreement, or an empty list. */
    static List<String> differences(Map<String, Long> java, Map<String, Long> c) {
        List<String> diff = new ArrayList<>();
        java.forEach((key, value) -> {
            Long cValue = c.get(key);
            if (cValue == null) {
                diff.add(key + ": Java says " + value + ", the C probe printed nothing");
            } else if (cValue.longValue() != value.longValue()) {
                diff.add(key + ": Java says " + value + " (0x" + Long.toHexString(value) + "), C says " + cValue
                        + " (0x" + Long.toHexString(cValue) + ")");
            }
        });
        return diff;
    }
}
