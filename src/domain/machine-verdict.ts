/**
 * What the agent makes of the machine it runs on, for licences the vendor marks `prevent_vm`.
 * `unknown` when nothing could be read: such a licence is then not granted either, since only a
 * machine seen to be physical may run it.
 */
export type MachineKind = 'physical' | 'virtual_machine' | 'container' | 'unknown';

export interface MachineVerdict {
  readonly kind: MachineKind;
  /** The facts the verdict rests on, in words, for `hwid`, `doctor` and `/v1/status`. */
  readonly basis: readonly string[];
  /** The operator set it in config (`device.machine`) instead of detection. */
  readonly overridden: boolean;
}

/** The facts detection gathered; each null when it could not be read. */
export interface VirtualizationFacts {
  /** systeminformation's `system()`: its virtual flag, the hypervisor it names, the model. */
  readonly systeminformation: {
    readonly virtual: boolean;
    readonly virtualHost: string | null;
    readonly model: string | null;
  } | null;
  readonly dmi: { readonly sysVendor: string | null; readonly productName: string | null };
  /** The `hypervisor` flag of /proc/cpuinfo, which the CPU sets under a hypervisor. */
  readonly cpuHypervisor: boolean | null;
  /** Container marks found: `/.dockerenv`, `/run/.containerenv`, a cgroup path, `$container`. */
  readonly containerMarks: readonly string[];
}

/** DMI vendor or product names the common hypervisors and clouds present. */
const HYPERVISOR_NAMES =
  /\b(qemu|kvm|vmware|virtualbox|innotek|xen|hvm domu|bochs|parallels|openstack|amazon ec2|google compute engine|virtual machine|hyper-v|bhyve|cloud hypervisor)\b/i;

/**
 * A container anywhere in the facts wins: a container may run on physical hardware, but the
 * licence is for a machine, not for one of many images on it. Then any sign of a hypervisor.
 * Physical only when something was read and none of it points elsewhere.
 */
export function machineVerdict(facts: VirtualizationFacts): MachineVerdict {
  const si = facts.systeminformation;
  const container = [...facts.containerMarks];
  if (si?.model !== null && si?.model !== undefined && /container/i.test(si.model))
    container.push(`systeminformation: model "${si.model}"`);
  if (container.length > 0) return detected('container', container);

  const vm: string[] = [];
  if (si?.virtual === true)
    vm.push(`systeminformation: virtual${si.virtualHost === null ? '' : ` (${si.virtualHost})`}`);
  if (facts.cpuHypervisor === true) vm.push('/proc/cpuinfo: hypervisor flag');
  for (const [name, value] of dmiNames(facts))
    if (HYPERVISOR_NAMES.test(value)) vm.push(`DMI ${name}: "${value}"`);
  if (vm.length > 0) return detected('virtual_machine', vm);

  const physical: string[] = [];
  if (si !== null) physical.push('systeminformation: not virtual');
  if (facts.cpuHypervisor === false) physical.push('/proc/cpuinfo: no hypervisor flag');
  for (const [name, value] of dmiNames(facts)) physical.push(`DMI ${name}: "${value}"`);
  if (physical.length === 0)
    return detected('unknown', ['nothing about the machine could be read']);
  return detected('physical', physical);
}

/** The operator's word for it, from config. */
export function declaredMachine(kind: Exclude<MachineKind, 'unknown'>): MachineVerdict {
  return { kind, basis: ['device.machine in the config'], overridden: true };
}

function detected(kind: MachineKind, basis: readonly string[]): MachineVerdict {
  return { kind, basis, overridden: false };
}

function dmiNames(facts: VirtualizationFacts): [string, string][] {
  const names: [string, string][] = [];
  if (facts.dmi.sysVendor !== null) names.push(['sys_vendor', facts.dmi.sysVendor]);
  if (facts.dmi.productName !== null) names.push(['product_name', facts.dmi.productName]);
  return names;
}
