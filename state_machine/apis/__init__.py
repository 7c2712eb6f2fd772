"""One package per API. Each builds an `ApiPlugin` (state_machine.plugin) named `plugin`, and the
registry (state_machine.registry) finds it by the API's name."""
