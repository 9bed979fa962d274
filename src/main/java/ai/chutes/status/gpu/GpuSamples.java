package ai.chutes.status.gpu;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the typed {@link GpuSample}s from a query table: each record component takes the value of the
 * table field whose JSON name it carries, converted the way its metric is (nvidia-smi's unit to the
 * base unit), so the JSON and the metrics can never disagree.
 */
public final class GpuSamples {

    static final String XID_ERRORS = "xid_errors";
    static final String XID_LAST = "xid_last_timestamp_seconds";

    private static final RecordComponent[] COMPONENTS = GpuSample.class.getRecordComponents();
    private static final Map<String, String> QUERY_BY_JSON = queryByJson();

    private GpuSamples() {
    }

    public static List<GpuSample> of(GpuTable table, XidEvents xids) {
        Map<String, ExporterNaming.MetricName> names = new HashMap<>();
        for (int i = 0; i < table.headers().size(); i++) {
            names.put(table.fields().get(i), ExporterNaming.name(table.headers().get(i)));
        }
        List<GpuSample> samples = new ArrayList<>();
        for (Map<String, String> row : table.rows()) {
            samples.add(sample(row, names, xids));
        }
        return List.copyOf(samples);
    }

    /** The JSON name of every component: the table's typed fields plus the two XID ones. */
    public static List<String> jsonNames() {
        List<String> json = new ArrayList<>();
        for (RecordComponent component : COMPONENTS) {
            json.add(snake(component.getName()));
        }
        return json;
    }

    private static GpuSample sample(Map<String, String> row, Map<String, ExporterNaming.MetricName> names, XidEvents xids) {
        Object[] values = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            String json = snake(COMPONENTS[i].getName());
            String query = QUERY_BY_JSON.get(json);
            String raw = query == null ? null : row.get(query);
            values[i] = raw == null ? null : convert(COMPONENTS[i].getType(), query, raw, names.get(query).multiplier());
        }
        List<XidEvents.XidCount> logged = xids.forBusId(GpuValues.text(row.get("pci.bus_id")));
        if (!logged.isEmpty()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            logged.forEach(count -> counts.put(Integer.toString(count.xid()), count.count()));
            values[position(XID_ERRORS)] = counts;
            values[position(XID_LAST)] = logged.stream().mapToDouble(XidEvents.XidCount::lastSeconds).max().orElseThrow();
        }
        try {
            Constructor<GpuSample> constructor = GpuSample.class.getDeclaredConstructor(
                    java.util.Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return constructor.newInstance(values);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("GpuSample cannot be built", e);
        }
    }

    private static Object convert(Class<?> type, String query, String raw, double multiplier) {
        if (type == String.class) {
            return GpuValues.text(raw);
        }
        Double value = ExporterNaming.value(query, raw, multiplier);
        if (value == null || !Double.isFinite(value)) {
            return null;
        }
        if (type == Double.class) {
            return value;
        }
        if (type == Boolean.class) {
            return value != 0;
        }
        if (type == Long.class) {
            return Math.round(value);
        }
        if (type == Integer.class) {
            return (int) Math.round(value);
        }
        throw new IllegalStateException("no conversion to " + type);
    }

    private static int position(String json) {
        for (int i = 0; i < COMPONENTS.length; i++) {
            if (snake(COMPONENTS[i].getName()).equals(json)) {
                return i;
            }
        }
        throw new IllegalStateException("GpuSample has no " + json);
    }

    private static Map<String, String> queryByJson() {
        Map<String, String> byJson = new HashMap<>();
        for (GpuField field : GpuFieldTable.all()) {
            if (field.typed()) {
                byJson.put(field.jsonName(), field.query());
            }
        }
        return Map.copyOf(byJson);
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
