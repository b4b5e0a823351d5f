"""Import-linter contract types of the portal's own (loaded by `lint-imports` through pyproject.toml)."""

from importlinter.application import output
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicModulesContract(Contract):
    """No module imports itself back, directly or through other modules (migrations aside).

    import-linter's own `acyclic_siblings` compares whole packages; this one looks at single modules,
    so a service may sit beside the task that runs it as long as only the task imports the service.
    """

    type_name = "acyclic_modules"

    def check(self, graph, verbose: bool) -> ContractCheck:
        modules = sorted(m for m in graph.modules if ".migrations" not in m)
        cycles: dict[frozenset, tuple[str, ...]] = {}
        for importer in modules:
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if ".migrations" in imported or imported == importer:
                    continue
                back = graph.find_shortest_chain(importer=imported, imported=importer)
                if back:
                    cycle = (importer, *back)
                    cycles.setdefault(frozenset(cycle), cycle)
        cycles = list(cycles.values())
        return ContractCheck(kept=not cycles, warnings=[], metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join(cycle))
            output.new_line()
