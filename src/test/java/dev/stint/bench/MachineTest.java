package dev.stint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {
  @Test
  void theCpuModelIsTheFirstModelNameLine() {
    String cpuinfo =
        """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 7B13 64-Core Processor
        processor\t: 1
        model name\t: AMD EPYC 7B13 64-Core Processor
        """;
    assertThat(Machine.cpuModel(cpuinfo)).contains("AMD EPYC 7B13 64-Core Processor");
  }

  @Test
  void noModelNameLineOrAnEmptyOneNamesNoModel() {
    assertThat(Machine.cpuModel("processor\t: 0\nCPU implementer\t: 0x41\n")).isEmpty();
    assertThat(Machine.cpuModel("model name\t:   \n")).isEmpty();
  }
}
