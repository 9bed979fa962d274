# Prints the columns of a captured full-field `nvidia-smi --query-gpu=... --format=csv` answer that are
# named in `want` (comma-separated), in that order, as nvidia-smi does when asked for just those; a
# field the capture's driver does not list fails like nvidia-smi (message, exit 2).
BEGIN { n = split(want, w, ",") }
NR == 1 {
  for (i = 1; i <= NF; i++) { h = $i; gsub(/^ +| +$/, "", h); name = h; sub(/ \[.*$/, "", name); col[name] = i; head[i] = h }
  for (j = 1; j <= n; j++) if (!(w[j] in col)) { printf "Field \"%s\" is not a valid field to query.\n\n", w[j]; exit 2 }
}
{ line = ""; for (j = 1; j <= n; j++) { v = (NR == 1) ? head[col[w[j]]] : $(col[w[j]]); gsub(/^ +| +$/, "", v); line = line (j > 1 ? ", " : "") v } print line }
