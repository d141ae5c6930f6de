package output

// fsizeFormats are the formats the file-size child writes, in its order.
var fsizeFormats = []string{"jsonl", "csv", "json"}
