/** Helpers for text that goes into Terraform JSON. */

/** Escapes Terraform template sequences in literal text: `${` -> `$${`, `%{` -> `%%{`. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Compares dotted numeric versions ("1.10.0" vs "1.9.8"): negative, zero or positive, like a sort function. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
