import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The registry a bare provider source (`aws`, `hashicorp/aws`) refers to. */
const DEFAULT_REGISTRY = 'registry.terraform.io';

/** A provider's full address, `registry.terraform.io/hashicorp/aws`, from a `required_providers` source. */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  if (parts.length === 1) return `${DEFAULT_REGISTRY}/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `${DEFAULT_REGISTRY}/${parts[0]}/${parts[1]}`;
  return parts.join('/');
}

/** Terraform's name of this machine's platform, such as `linux_amd64`. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${platform === 'win32' ? 'windows' : platform}_${goArch[arch] ?? arch}`;
}

const PACKED = /^terraform-provider-[^_]+_(\d+\.\d+\.\d+[^_]*)_([a-z0-9]+_[a-z0-9]+)\.zip$/;

/** Orders `major.minor.patch` versions numerically. */
function compareVersions(a: string, b: string): number {
  const parse = (version: string) => version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parse(a), parse(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * A Terraform filesystem mirror (`provider_installation { filesystem_mirror { path } }`): which
 * versions of which providers it holds for this platform, in either of Terraform's layouts,
 * unpacked (`HOST/NAMESPACE/TYPE/VERSION/PLATFORM/`) or packed
 * (`HOST/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_PLATFORM.zip`).
 */
export class ProviderMirror {
  constructor(
    /** The mirror's root folder. */
    readonly path: string,
    private readonly platform: string = terraformPlatform(),
  ) {
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`--mirror ${path}: no such folder (expected a Terraform filesystem mirror, HOST/NAMESPACE/TYPE/…)`);
    }
  }

  /** The versions of a provider (`registry.terraform.io/hashicorp/aws`) held for this platform, newest first. */
  versions(address: string): string[] {
    const folder = join(this.path, ...address.split('/'));
    const entries = statSync(folder, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(folder) : [];
    const found = new Set<string>();
    for (const entry of entries) {
      const packed = PACKED.exec(entry);
      if (packed !== null) {
        if (packed[2] === this.platform) found.add(packed[1]!);
      } else if (statSync(join(folder, entry, this.platform), { throwIfNoEntry: false })?.isDirectory()) {
        found.add(entry);
      }
    }
    return [...found].sort(compareVersions).reverse();
  }

  /** A Terraform CLI configuration that installs providers from this mirror only. */
  cliConfig(): string {
    return `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(this.path)}\n  }\n}\n`;
  }
}
