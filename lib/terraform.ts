/** Helpers for text that goes into Terraform JSON. */

/** Escapes Terraform template sequences in literal text: `${` -> `$${`, `%{` -> `%%{`. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
