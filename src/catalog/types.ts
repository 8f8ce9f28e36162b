// The remote-access tool catalogue as the engine sees it: facts about tools and a matcher.
// The catalogue names agents and seeds allowlists; it never decides whether something alerts.

export type ToolCategory = 'remote_support' | 'rmm' | 'remote_desktop' | 'tunnel' | 'rat';

export interface CatalogTool {
  /** Lower-case stable id ("anydesk"). */
  id: string;
  name: string;
  category: ToolCategory;
  /** Executable file names, lower-case, without directories ("anydesk.exe", "rustdesk"). */
  executables: string[];
  /** Version-resource OriginalFileName values, lower-case. */
  originalFileNames: string[];
  /** Product / company strings from version resources, lower-case. */
  products: string[];
  companies: string[];
  /** Code-signing subject names, lower-case. */
  signers: string[];
  /** Default install paths per OS (may contain %VARS% or ~). */
  paths: { windows: string[]; linux: string[]; macos: string[] };
  services: string[];
  systemdUnits: string[];
  launchdLabels: string[];
  bundleIds: string[];
  /** Vendor domains, lower-case; a leading "*." means any subdomain. */
  domains: string[];
  ports: number[];
  /** Which catalogue this entry came from ("builtin", "lolrmm", a file path). */
  source: string;
  /** Other ids the same tool goes by in other catalogues ("connectwise-control"). */
  aliases?: string[];
  /** Public pages the facts were checked against. */
  refs?: string[];
}

export type MatchBy =
  | 'original_file_name'
  | 'product'
  | 'company'
  | 'signer'
  | 'executable'
  | 'path'
  | 'service'
  | 'systemd_unit'
  | 'launchd_label'
  | 'bundle_id';

export interface CatalogMatch {
  tool: CatalogTool;
  by: MatchBy;
  /** Other tools the same evidence names equally well. */
  ambiguous: CatalogTool[];
}

export interface ImageFacts {
  image: string;
  originalFileName?: string;
  product?: string;
  company?: string;
  signer?: string;
  signingId?: string;
}

export interface Catalog {
  readonly tools: readonly CatalogTool[];
  /** Best match for a binary, metadata first (renamed binaries keep their metadata). */
  matchImage(facts: ImageFacts): CatalogMatch | undefined;
  /** Tool for a service, unit or launchd label name. */
  matchEntry(name: string): CatalogMatch | undefined;
  /** Tools whose vendor domains cover `host` (a DNS name). */
  matchDomain(host: string): CatalogTool | undefined;
  byId(id: string): CatalogTool | undefined;
  /** Every tool whose vendor domains cover `host`, most specific pattern first. */
  matchDomainAll(host: string): CatalogTool[];
}

/** Something a catalogue file got wrong, or a value an import had to leave out. */
export interface CatalogProblem {
  file: string;
  /** Position: "tools[3] (anydesk).domains[1], line 40:9", "entry 12 (KiTTY)". */
  where: string;
  message: string;
  /** error: an entry or file was not loaded; skipped: a tool was left out (with the reason);
   *  note: one value was dropped or rewritten while the rest of the entry loaded. */
  kind: 'error' | 'skipped' | 'note';
}
