import { describe, expect, it } from 'vitest';
import { machineVerdict, type VirtualizationFacts } from '../../src/domain/machine-verdict.js';

const nothing: VirtualizationFacts = {
  systeminformation: null,
  dmi: { sysVendor: null, productName: null },
  cpuHypervisor: null,
  containerMarks: [],
};
const bareMetal: VirtualizationFacts = {
  systeminformation: { virtual: false, virtualHost: null, model: 'PowerEdge R640' },
  dmi: { sysVendor: 'Dell Inc.', productName: 'PowerEdge R640' },
  cpuHypervisor: false,
  containerMarks: [],
};

describe('what the machine is', () => {
  it('physical when what was read shows no hypervisor and no container', () => {
    const verdict = machineVerdict(bareMetal);
    expect(verdict.kind).toBe('physical');
    expect(verdict.basis).toContain('/proc/cpuinfo: no hypervisor flag');
  });

  it('a virtual machine under KVM, from the DMI product and the CPU flag', () => {
    const verdict = machineVerdict({
      ...bareMetal,
      systeminformation: { virtual: false, virtualHost: null, model: 'Standard PC' },
      dmi: { sysVendor: 'QEMU', productName: 'Standard PC (Q35 + ICH9, 2009)' },
      cpuHypervisor: true,
    });
    expect(verdict).toEqual({
      kind: 'virtual_machine',
      basis: ['/proc/cpuinfo: hypervisor flag', 'DMI sys_vendor: "QEMU"'],
      overridden: false,
    });
  });

  it('a virtual machine under VMware, from systeminformation alone', () => {
    const verdict = machineVerdict({
      ...nothing,
      systeminformation: { virtual: true, virtualHost: 'VMware', model: 'VMware7,1' },
    });
    expect(verdict.kind).toBe('virtual_machine');
    expect(verdict.basis).toEqual(['systeminformation: virtual (VMware)']);
  });

  it('a container under Docker, even on physical hardware', () => {
    const verdict = machineVerdict({ ...bareMetal, containerMarks: ['/.dockerenv'] });
    expect(verdict.kind).toBe('container');
    expect(verdict.basis).toEqual(['/.dockerenv']);
  });

  it('a container under podman, from its marks', () => {
    const verdict = machineVerdict({
      ...nothing,
      containerMarks: ['/run/.containerenv', '$container=podman'],
    });
    expect(verdict.kind).toBe('container');
  });

  it('a container when systeminformation names one', () => {
    const verdict = machineVerdict({
      ...nothing,
      systeminformation: { virtual: true, virtualHost: null, model: 'Docker Container' },
    });
    expect(verdict.kind).toBe('container');
  });

  it('unknown when nothing could be read', () => {
    expect(machineVerdict(nothing)).toEqual({
      kind: 'unknown',
      basis: ['nothing about the machine could be read'],
      overridden: false,
    });
  });
});
