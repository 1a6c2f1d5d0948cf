import json,sys
d=json.load(open(sys.argv[1]))
ev=d['traceEvents'] if isinstance(d,dict) else d
# find renderer main thread of panel: thread_name CrRendererMain
names={}
for e in ev:
    if e.get('name')=='thread_name': names[(e['pid'],e['tid'])]=e['args']['name']
nav=[e for e in ev if e.get('name') in ('navigationStart',) ]
t0=min(e['ts'] for e in nav) if nav else min(e['ts'] for e in ev if e.get('ts'))
print('navs',len(nav))
mains=[k for k,v in names.items() if v=='CrRendererMain']
for k in mains:
    tasks=[e for e in ev if (e['pid'],e['tid'])==k and e.get('ph')=='X' and e.get('name') in ('RunTask','ThreadControllerImpl::RunTask') and e.get('dur',0)>3000]
    if not tasks: continue
    print('thread',k,len(tasks))
    for t in sorted(tasks,key=lambda e:e['ts']):
        s,eend=t['ts'],t['ts']+t['dur']
        inner=[e for e in ev if (e['pid'],e['tid'])==k and e.get('ph')=='X' and s<=e['ts']<eend and e is not t and e.get('dur',0)>1500]
        desc=[]
        for e in sorted(inner,key=lambda e:-e['dur'])[:6]:
            a=e.get('args',{}).get('data',{})
            lab=a.get('functionName') or a.get('url','')[-40:] or ''
            desc.append(f"{e['name']}:{lab}:{e['dur']/1000:.0f}")
        print(f"{(s-t0)/1000:7.1f} {t['dur']/1000:6.1f}  "+' | '.join(desc))
for e in ev:
    if e.get('name') in ('ResourceSendRequest','ResourceReceiveResponse','ResourceFinish'):
        a=e['args']['data']
        print(f"{(e['ts']-t0)/1000:7.1f} {e['name']} {a.get('requestId')} {a.get('url','')[-70:]}")
for e in ev:
    if e.get('name') in ('firstContentfulPaint','firstPaint','domContentLoadedEventEnd','MarkDOMContent'):
        print(f"{(e['ts']-t0)/1000:7.1f} {e['name']}")
