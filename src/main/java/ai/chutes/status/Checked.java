package ai.chutes.status;

/**
 * What a reader gives when its answer may be an error instead: never a thrown exception, always a value
 * or the {@link ErrorBody} saying why there is none. The bodies that carry their own error, because the
 * overview and the push channel show them whole (a unit's status, the nvidia-smi report), have the same
 * two states inside them and give their {@code Checked} view for an answer of their own; every reader's
 * outcome becomes an HTTP answer through {@link ErrorReply#answer(Checked)}.
 */
public record Checked<T>(T value, ErrorBody error) {

    public static <T> Checked<T> ok(T value) {
        return new Checked<>(value, null);
    }

    public static <T> Checked<T> failed(ErrorBody error) {
        return new Checked<>(null, error);
    }
}
