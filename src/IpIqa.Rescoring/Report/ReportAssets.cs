namespace IpIqa.Rescoring;

/// <summary>The report's inline stylesheet and chart script (plain SVG, no libraries, no network).</summary>
internal static class ReportAssets
{
    public const string Css = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fff}
        .charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
        .chart{width:420px;height:220px;border:1px solid #ddd;background:#fafafa}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
        .worst{display:flex;flex-wrap:wrap;gap:12px}.thumb{width:180px;font-size:12px}.thumb img{max-width:160px;max-height:160px;display:block}.thumb figcaption{font-weight:400}
        .note{color:#666;font-size:12px}
        .badge{display:inline-block;border-radius:3px;padding:1px 6px;color:#fff;font-size:11px;background:#c00}.badge.alignment{background:#b85c00}.badge.both{background:#700}
        #verdicts table td:nth-child(2){font-weight:600}
        .explanation img.overlay{max-width:160px;max-height:160px;display:block;margin-top:4px}.unsupported-word{color:#c00}.explain-error{color:#666}
        """;

    /// <summary>Draws the binned counts of <see cref="ReportBins.Json"/>: loops over bins and cells only, never over images.</summary>
    public const string Script = """
        (function(){
          var d=JSON.parse(document.getElementById('scores').textContent);
          var NS='http://www.w3.org/2000/svg',W=420,H=220,L=46,R=10,T=10,B=34,PW=W-L-R,PH=H-T-B;
          function el(svg,name,attrs,text){var e=document.createElementNS(NS,name);for(var k in attrs){e.setAttribute(k,attrs[k]);}
            if(text!==undefined){e.textContent=text;}svg.appendChild(e);return e;}
          function sx(v,lo,hi){return L+(v-lo)/(hi-lo)*PW;}
          function sy(v,lo,hi){return T+PH-(v-lo)/(hi-lo)*PH;}
          function fmt(v,lo,hi){var s=hi-lo;return v.toFixed(s>=50?0:s>=5?1:s>=0.5?2:3);}
          function sum(c){var s=0;for(var i=0;i<c.length;i++){s+=c[i];}return s;}
          function max(c){var m=0;for(var i=0;i<c.length;i++){if(c[i]>m){m=c[i];}}return m;}
          function xaxis(svg,lo,hi,label){el(svg,'line',{x1:L,y1:T+PH,x2:L+PW,y2:T+PH,stroke:'#444'});
            for(var i=0;i<=5;i++){var v=lo+(hi-lo)*i/5,x=sx(v,lo,hi);el(svg,'line',{x1:x,y1:T+PH,x2:x,y2:T+PH+4,stroke:'#444','class':'tick'});
              el(svg,'text',{x:x,y:T+PH+14,'font-size':9,'text-anchor':'middle'},fmt(v,lo,hi));}
            el(svg,'text',{x:L+PW/2,y:H-3,'font-size':10,'text-anchor':'middle'},label);}
          function yaxis(svg,lo,hi,label,f){el(svg,'line',{x1:L,y1:T,x2:L,y2:T+PH,stroke:'#444'});
            for(var i=0;i<=4;i++){var v=lo+(hi-lo)*i/4,y=sy(v,lo,hi);el(svg,'line',{x1:L-4,y1:y,x2:L,y2:y,stroke:'#444','class':'tick'});
              el(svg,'text',{x:L-6,y:y+3,'font-size':9,'text-anchor':'end'},f(v));}
            el(svg,'text',{x:9,y:T+PH/2,'font-size':10,'text-anchor':'middle',transform:'rotate(-90 9 '+(T+PH/2)+')'},label);}
          function threshold(svg,t,lo,hi,across){if(t===null||t<lo||t>hi){return;}
            var a={stroke:'#c00','stroke-dasharray':'4 3','class':'threshold'};
            if(across){var y=sy(t,lo,hi);a.x1=L;a.x2=L+PW;a.y1=y;a.y2=y;}else{var x=sx(t,lo,hi);a.x1=x;a.x2=x;a.y1=T;a.y2=T+PH;}
            el(svg,'line',a);}
          function hist(id,h,label){var svg=document.getElementById(id),n=h.now.length,bw=PW/n,fa=sum(h.now)||1,fb=h.then?(sum(h.then)||1):1;
            var top=max(h.now)/fa;if(h.then){top=Math.max(top,max(h.then)/fb);}top=top||1;
            function draw(c,f,fill,op){for(var i=0;i<n;i++){var ht=c[i]/f/top*PH;
              el(svg,'rect',{x:L+i*bw+0.5,y:T+PH-ht,width:Math.max(bw-1,0.5),height:ht,fill:fill,'fill-opacity':op,'class':'bar','data-n':c[i]});}}
            if(h.then){draw(h.then,fb,'#888',0.45);}draw(h.now,fa,'#2a6fdb',0.75);
            xaxis(svg,h.lo,h.hi,label);yaxis(svg,0,top,'share',function(v){return (v*100).toFixed(top>=0.1?0:1)+'%';});
            threshold(svg,h.t,h.lo,h.hi,false);svg.setAttribute('data-rendered','true');}
          function density(){var svg=document.getElementById('scatter'),s=d.s,q=d.q,a=d.a,cw=PW/s.cols,ch=PH/s.rows,lm=Math.log(1+max(s.c))||1;
            for(var r=0;r<s.rows;r++){for(var c=0;c<s.cols;c++){var n=s.c[r*s.cols+c];if(!n){continue;}
              el(svg,'rect',{x:L+c*cw,y:T+PH-(r+1)*ch,width:cw,height:ch,fill:'#d2452b','fill-opacity':(0.15+0.85*Math.log(1+n)/lm).toFixed(3),'class':'cell','data-n':n});}}
            xaxis(svg,q.lo,q.hi,'quality');yaxis(svg,a.lo,a.hi,'alignment',function(v){return fmt(v,a.lo,a.hi);});
            threshold(svg,q.t,q.lo,q.hi,false);threshold(svg,a.t,a.lo,a.hi,true);svg.setAttribute('data-rendered','true');}
          hist('hist-quality',d.q,'quality');hist('hist-alignment',d.a,'alignment');density();
          var ov=document.querySelectorAll('img.overlay');for(var i=0;i<ov.length;i++){(function(img){img.decode().then(function(){img.setAttribute('data-decoded',img.naturalWidth+'x'+img.naturalHeight);},function(){img.setAttribute('data-decoded','failed');});})(ov[i]);}
          document.body.setAttribute('data-rendered','true');
        })();
        """;
}
