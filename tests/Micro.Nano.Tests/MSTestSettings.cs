// Two nanoCLR runs at a time: the CI machine has two cores.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel, Workers = 2)]
