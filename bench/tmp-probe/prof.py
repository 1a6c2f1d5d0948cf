import json,sys
from collections import defaultdict
p=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in p['nodes']}
parent={}
for n in p['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
samples=p['samples']; deltas=p['timeDeltas']
t=p['startTime']; times=[]
for d in deltas: t+=d; times.append(t)
selft=defaultdict(float); incl=defaultdict(float)
for i,s in enumerate(samples):
    dt=(deltas[i+1] if i+1<len(deltas) else 0)/1000
    n=nodes[s]; f=n['callFrame']
    key=f"{f['functionName'] or '(anon)'} {f['url'].split('/')[-1]}:{f['lineNumber']}"
    selft[key]+=dt
    seen=set(); c=s
    while c is not None:
        cf=nodes[c]['callFrame']; k=f"{cf['functionName'] or '(anon)'} {cf['url'].split('/')[-1]}:{cf['lineNumber']}"
        if k not in seen: incl[k]+=dt; seen.add(k)
        c=parent.get(c)
print("SELF"); [print(f"{v:7.1f} {k}") for k,v in sorted(selft.items(),key=lambda x:-x[1])[:35]]
print("INCL"); [print(f"{v:7.1f} {k}") for k,v in sorted(incl.items(),key=lambda x:-x[1])[:60]]
