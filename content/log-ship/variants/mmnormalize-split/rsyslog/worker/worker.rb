version=2
# 2026-12-04T09:14:03.120Z level=ERROR @WORKER_RID_KEY@=3f9a01c2d4e5 msg="job failed"
rule=:%ts:word% level=%level:word% @WORKER_RID_KEY@=%rid:word% msg=%text:rest%
