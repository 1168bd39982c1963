#!/usr/bin/env python3
"""Reads a .nfproj the way tests/nano/build.sh needs it: what nf build must compile, with which symbols and references.

    nfproj.py PROJECT.nfproj [-p NAME=VALUE ...]

Prints one item per line:
    name ASSEMBLY            <AssemblyName>
    type Library|Exe         <OutputType>
    define SYMBOL            each symbol <DefineConstants> adds
    src ABSOLUTE-PATH        each <Compile Include>, in the project's order
    projref ASSEMBLY         each <ProjectReference>, as the AssemblyName of the project it names
    ref NAME                 each <Reference> but mscorlib (nf always compiles against it), by simple name

Conditions are evaluated as MSBuild would for the forms the projects use: '$(P)' == 'v', '$(P)' != 'v' and
Exists('file'), joined by 'and' / 'or'. -p sets a global property (it wins over the project's own value, as
msbuild -p does). Anything this reader cannot evaluate exactly (wildcards, other condition forms, a listed file
that does not exist) is an error, exit 2: the list CI compiles must be the list the project names.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = '{http://schemas.microsoft.com/developer/msbuild/2003}'


def fail(msg):
    print('nfproj.py: ' + msg, file=sys.stderr)
    sys.exit(2)


def expand(text, props):
    return re.sub(r'\$\((\w+)\)', lambda m: props.get(m.group(1), ''), text)


def condition_holds(cond, props, project_dir, where):
    if cond is None or not cond.strip():
        return True
    text = cond.strip()
    for op, parts in (('or', re.split(r'\s+or\s+', text)), ('and', re.split(r'\s+and\s+', text))):
        if len(parts) > 1:
            results = [condition_holds(p, props, project_dir, where) for p in parts]
            return any(results) if op == 'or' else all(results)
    m = re.fullmatch(r"'([^']*)'\s*(==|!=)\s*'([^']*)'", text)
    if m:
        left, right = expand(m.group(1), props), expand(m.group(3), props)
        return (left.lower() == right.lower()) == (m.group(2) == '==')
    m = re.fullmatch(r"Exists\('([^']*)'\)", text)
    if m:
        return os.path.exists(os.path.join(project_dir, expand(m.group(1), props).replace('\\', '/')))
    fail(f'{where}: condition "{cond}" is not one this reader evaluates')


def native(path):
    return path.replace('\\', '/')


def read(project, globals_):
    try:
        root = ET.parse(project).getroot()
    except (ET.ParseError, OSError) as e:
        fail(f'{project}: not well-formed MSBuild XML ({e})')
    if root.tag != NS + 'Project':
        fail(f'{project}: the root element is {root.tag}, not an MSBuild <Project>')
    pdir = os.path.dirname(os.path.abspath(project))
    props = {}
    props.update(globals_)
    out = {'name': None, 'type': None, 'define': [], 'src': [], 'projref': [], 'ref': []}
    for group in root:
        if not condition_holds(group.get('Condition'), props, pdir, project):
            continue
        if group.tag == NS + 'PropertyGroup':
            for p in group:
                if not isinstance(p.tag, str) or not p.tag.startswith(NS):
                    continue
                name = p.tag[len(NS):]
                if name in globals_ or not condition_holds(p.get('Condition'), props, pdir, project):
                    continue
                props[name] = expand((p.text or '').strip(), props)
        elif group.tag == NS + 'ItemGroup':
            for item in group:
                if not isinstance(item.tag, str) or not condition_holds(item.get('Condition'), props, pdir, project):
                    continue
                kind, include = item.tag[len(NS):], expand(item.get('Include', ''), props)
                if kind == 'Compile':
                    if any(c in include for c in '*?;'):
                        fail(f'{project}: Compile "{include}" is not one file (nanoFramework projects list each file)')
                    path = os.path.normpath(os.path.join(pdir, native(include)))
                    if not os.path.isfile(path):
                        fail(f'{project}: lists {include}, which does not exist')
                    out['src'].append(path)
                elif kind == 'ProjectReference':
                    ref = os.path.normpath(os.path.join(pdir, native(include)))
                    if not os.path.isfile(ref):
                        fail(f'{project}: references {include}, which does not exist')
                    out['projref'].append(read(ref, {})['name'])
                elif kind == 'Reference':
                    simple = include.split(',')[0].strip()
                    if simple != 'mscorlib':
                        out['ref'].append(simple)
    out['name'] = props.get('AssemblyName') or fail(f'{project}: no AssemblyName')
    out['type'] = props.get('OutputType') or fail(f'{project}: no OutputType')
    out['define'] = [s for s in props.get('DefineConstants', '').split(';') if s.strip()]
    return out


def main(argv):
    if not argv or argv[0].startswith('-'):
        fail('usage: nfproj.py PROJECT.nfproj [-p NAME=VALUE ...]')
    globals_ = {}
    rest = argv[1:]
    while rest:
        if rest[0] != '-p' or len(rest) < 2 or '=' not in rest[1]:
            fail('unknown argument ' + rest[0])
        k, v = rest[1].split('=', 1)
        globals_[k] = v
        rest = rest[2:]
    p = read(argv[0], globals_)
    print('name ' + p['name'])
    print('type ' + p['type'])
    for key in ('define', 'src', 'projref', 'ref'):
        for v in p[key]:
            print(key + ' ' + v)


if __name__ == '__main__':
    main(sys.argv[1:])
