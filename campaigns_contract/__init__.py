"""campaigns-contract: the command line (`campaigns-contract verify | mock`) and the conformance report."""
