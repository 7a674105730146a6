/** Finding provider packages in filesystem mirrors, and their checksums as Terraform computes them. */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  findPackage,
  mirrorCliConfig,
  mirrorVersions,
  packageChecksum,
  packageHashV1,
  zipHash,
} from "../../../scripts/lib/provider-packages";

const mirror = mkdtempSync(join(tmpdir(), "mirror-"));
afterAll(() => rmSync(mirror, { recursive: true, force: true }));
const demo = join(mirror, "registry.terraform.io", "example", "demo");
const unpacked = join(demo, "1.0.0", "linux_amd64");
mkdirSync(join(unpacked, "sub"), { recursive: true });
writeFileSync(join(unpacked, "terraform-provider-demo_v1.0.0"), "demo\n");
writeFileSync(join(unpacked, "sub", "LICENSE.txt"), "x\n");
const zip = join(demo, "terraform-provider-demo_1.0.1_linux_amd64.zip");
writeFileSync(zip, "not really a zip, only its bytes are hashed");
mkdirSync(join(demo, "0.9.0", "darwin_arm64"), { recursive: true });

describe("packageHashV1", () => {
  it("is the h1: checksum Terraform records for an unpacked package", () => {
    // `terraform providers lock -fs-mirror=<mirror> -platform=linux_amd64` (Terraform 1.11.4) for this package.
    expect(packageHashV1(unpacked)).toBe("h1:qCiJUuCelYL4MgdBrAphSfyLbYM1YCxuZTXtvQ2cem8=");
  });

  it("changes with any byte of any file", () => {
    const other = mkdtempSync(join(tmpdir(), "pkg-"));
    mkdirSync(join(other, "sub"));
    writeFileSync(join(other, "terraform-provider-demo_v1.0.0"), "demo!\n");
    writeFileSync(join(other, "sub", "LICENSE.txt"), "x\n");
    expect(packageHashV1(other)).not.toBe(packageHashV1(unpacked));
    rmSync(other, { recursive: true });
  });
});

describe("zipHash", () => {
  it("is zh: and the SHA-256 of the file", () => {
    const sha = createHash("sha256").update("not really a zip, only its bytes are hashed").digest("hex");
    expect(zipHash(zip)).toBe(`zh:${sha}`);
  });
});

describe("findPackage and mirrorVersions", () => {
  const address = "registry.terraform.io/example/demo";

  it("finds unpacked and packed packages for the platform, in the first mirror holding them", () => {
    expect(findPackage(["/nonexistent", mirror], address, "1.0.0", "linux_amd64")).toEqual({
      mirror,
      path: unpacked,
      layout: "unpacked",
    });
    const packed = findPackage([mirror], address, "1.0.1", "linux_amd64");
    expect(packed).toEqual({ mirror, path: zip, layout: "packed" });
    expect(packageChecksum(packed!)).toBe(zipHash(zip));
    expect(findPackage([mirror], address, "1.0.0", "darwin_arm64")).toBeUndefined();
    expect(findPackage([mirror], address, "2.0.0", "linux_amd64")).toBeUndefined();
  });

  it("lists the versions held for a platform, newest first", () => {
    expect(mirrorVersions([mirror], address, "linux_amd64")).toEqual(["1.0.1", "1.0.0"]);
    expect(mirrorVersions([mirror], address, "darwin_arm64")).toEqual(["0.9.0"]);
    expect(mirrorVersions([mirror], "registry.terraform.io/example/none", "linux_amd64")).toEqual([]);
  });
});

describe("mirrorCliConfig", () => {
  it("installs from the mirrors only, never from a registry", () => {
    expect(mirrorCliConfig(["/a", "/b"])).toBe(
      [
        "provider_installation {",
        "  filesystem_mirror {",
        '    path    = "/a"',
        '    include = ["*/*/*"]',
        "  }",
        "  filesystem_mirror {",
        '    path    = "/b"',
        '    include = ["*/*/*"]',
        "  }",
        "  direct {",
        '    exclude = ["*/*/*"]',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });
});
