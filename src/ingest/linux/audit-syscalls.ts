// Syscall numbers auditd writes in SYSCALL records (`arch=... syscall=59`), for the syscalls the
// readers care about. Enriched logs and AUOMS name the syscall themselves; raw logs need this.

const X86_64: Record<number, string> = {
  2: 'open',
  42: 'connect',
  56: 'clone',
  57: 'fork',
  58: 'vfork',
  59: 'execve',
  82: 'rename',
  83: 'mkdir',
  85: 'creat',
  86: 'link',
  88: 'symlink',
  133: 'mknod',
  257: 'openat',
  258: 'mkdirat',
  259: 'mknodat',
  264: 'renameat',
  265: 'linkat',
  266: 'symlinkat',
  316: 'renameat2',
  322: 'execveat',
  435: 'clone3',
  437: 'openat2',
};

const I386: Record<number, string> = {
  2: 'fork',
  5: 'open',
  8: 'creat',
  9: 'link',
  11: 'execve',
  38: 'rename',
  39: 'mkdir',
  83: 'symlink',
  102: 'socketcall',
  120: 'clone',
  190: 'vfork',
  295: 'openat',
  296: 'mkdirat',
  302: 'renameat',
  303: 'linkat',
  304: 'symlinkat',
  353: 'renameat2',
  358: 'execveat',
  362: 'connect',
  435: 'clone3',
  437: 'openat2',
};

// The generic table shared by aarch64 and riscv64.
const GENERIC: Record<number, string> = {
  34: 'mkdirat',
  36: 'symlinkat',
  37: 'linkat',
  38: 'renameat',
  56: 'openat',
  203: 'connect',
  220: 'clone',
  221: 'execve',
  276: 'renameat2',
  281: 'execveat',
  435: 'clone3',
  437: 'openat2',
};

const BY_ARCH: Record<string, Record<number, string>> = {
  c000003e: X86_64,
  '40000003': I386,
  c00000b7: GENERIC,
  c00000f3: GENERIC,
  x86_64: X86_64,
  i386: I386,
  i686: I386,
  aarch64: GENERIC,
};

/** The syscall's name from `syscall=` (a number or a name) and `arch=`; undefined if unknown. */
export function syscallName(syscall: string | undefined, arch: string | undefined): string | undefined {
  if (!syscall) return undefined;
  const c = syscall.charCodeAt(0);
  if (c < 48 || c > 57) return syscall;
  const table = BY_ARCH[(arch ?? 'c000003e').toLowerCase()];
  return table?.[Number(syscall)];
}

export const EXEC_SYSCALLS = new Set(['execve', 'execveat']);
export const FORK_SYSCALLS = new Set(['clone', 'clone3', 'fork', 'vfork']);
export const RENAME_SYSCALLS = new Set(['rename', 'renameat', 'renameat2']);
/** Syscalls whose CREATE items are files a reader reports (not directories or device nodes). */
export const CREATE_SYSCALLS = new Set([
  'open',
  'openat',
  'openat2',
  'creat',
  'rename',
  'renameat',
  'renameat2',
  'link',
  'linkat',
  'symlink',
  'symlinkat',
]);
