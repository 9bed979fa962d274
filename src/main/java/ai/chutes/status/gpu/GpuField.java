package ai.chutes.status.gpu;

/**
 * One row of the GPU field table ({@code gpu-fields.tsv}): the {@code --query-gpu} name, the JSON name it
 * has in the typed {@code gpus} (null when it is only a metric), and the help text of its metric.
 */
public record GpuField(String query, String jsonName, String help) {

    public boolean typed() {
        return jsonName != null;
    }
}
