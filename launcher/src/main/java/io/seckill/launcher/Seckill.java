package io.seckill.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point (docs/SPEC.md §8). The `seckill` script at the repository root builds the jar
 * if needed and runs this.
 */
@Command(
    name = "seckill",
    mixinStandardHelpOptions = true,
    version = "seckill 0.1.0",
    description = "Seckill: a flash-sale reference application.",
    subcommands = {
      UpCommand.class,
      DemoCommand.class,
      GatewayCommand.class,
      GatewayCommand.OrderWorkerCommand.class,
      GatewayCommand.DelayServiceCommand.class,
      TokenCommand.class,
      ConfigCommand.class,
      ReconcileCommand.class
    })
public final class Seckill implements Runnable {

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new Seckill()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
